from marketplace.operations.logs import current_request_id


class RequestIdHeaderMiddleware:
    """Answers with the request's id (`X-Request-ID`), so that a user reporting a problem, or a
    proxy's access log, can quote the id every log line of that request carries."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        request_id = current_request_id()
        if request_id:
            response["X-Request-ID"] = request_id
        return response
