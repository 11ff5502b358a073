def test_home_page_renders_in_chinese_by_default(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
