"""Each flag told in plain words with its numbers and the fence it crossed (the console page
and the API's `explanation`), in the reader's language."""

import datetime as dt

from django.utils.translation import gettext as _

from bidding.models import Project
from marketplace.accounts.models import Organization
from marketplace.formatting.moments import local_minute
from marketplace.formatting.money import format_money
from ratings.models import RedFlag


def _pct(value) -> str:
    """A ratio as a percentage with one decimal: 0.0125 → "1.3%"."""
    return f"{float(value) * 100:.1f}%"


def _r003(f: dict) -> str:
    return _("The project was open for bids for %(days)s whole days, fewer than the %(threshold)s "
             "days that give every agency a fair chance to prepare a bid.") % f


def _r018(f: dict) -> str:
    return _("Only one agency bid on this project although its selection method is "
             "competitive: competition may have been suppressed.")


def _r024(f: dict) -> str:
    return _("The second-lowest valid bid (%(second)s) is only %(diff)s above the winning bid "
             "(%(win)s). Among %(n)s comparable projects a gap at or below %(fence)s is "
             "unusually small (lower fence Q1 − 1.5·IQR; Q1 %(q1)s, Q3 %(q3)s): the runner-up "
             "may have bid only to mimic competition.") % {
        "second": format_money(f["second_price"]), "win": format_money(f["winning_price"]),
        "diff": _pct(f["difference"]),
        "n": f["n"], "fence": _pct(f["fence"]), "q1": _pct(f["q1"]), "q3": _pct(f["q3"])}


def _r058(f: dict) -> str:
    return _("The second-lowest valid bid (%(second)s) is %(diff)s above the winning bid "
             "(%(win)s): the winner undercut everyone by far. Among %(n)s comparable projects "
             "a gap at or "
             "above %(fence)s is unusually large (upper fence Q3 + 1.5·IQR; Q1 %(q1)s, "
             "Q3 %(q3)s): check that the winner can deliver at this price.") % {
        "second": format_money(f["second_price"]), "win": format_money(f["winning_price"]),
        "diff": _pct(f["difference"]),
        "n": f["n"], "fence": _pct(f["fence"]), "q1": _pct(f["q1"]), "q3": _pct(f["q3"])}


def _r025(f: dict) -> str:
    return _("This agency is among the most active bidders (%(bids)s valid bids; the top "
             "quarter starts at %(top)s) but won only %(wins)s of them (%(ratio)s). Among "
             "%(n)s agencies a win ratio at or below %(fence)s is unusually low (lower fence "
             "Q1 − 1.5·IQR): it may be bidding to lose for a partner.") % {
        "bids": f["valid_bids"], "top": f["top_bidders_from"], "wins": f["wins"],
        "ratio": _pct(f["ratio"]), "n": f["n"], "fence": _pct(f["fence"])}


def _r028(f: dict) -> str:
    prices = "; ".join(_("%(price)s by %(count)s agencies") % {
        "price": format_money(group["price"]), "count": len(group["agencies"])}
        for group in f["prices"])
    return _("Different agencies bid exactly the same price on this project (%(prices)s): "
             "prices may have been shared or leaked.") % {"prices": prices}


def _r030(f: dict) -> str:
    return _("The winning bid was received after the bid deadline. The platform refuses late "
             "bids, so this must never happen: report it to the operators at once.")


def _r035(f: dict) -> str:
    return _("Every bid except the winner's was disqualified (%(count)s other agencies): "
             "check the reasons given for each disqualification.") % {
        "count": f["disqualified_tenderers"]}


def _r036(f: dict) -> str:
    return _("The project is awarded on price alone, yet the lowest bid (%(low)s) was "
             "disqualified; the lowest valid bid was %(valid)s.") % {
        "low": format_money(f["lowest_disqualified_price"]),
        "valid": format_money(f["lowest_valid_price"])}


def _r038(f: dict) -> str:
    if f["group"] == "owner":
        text = _("%(disq)s of the %(bids)s bids this owner received were disqualified "
                 "(%(ratio)s). Among %(n)s owners a share at or above %(fence)s is unusually "
                 "high (upper fence Q3 + 1.5·IQR; Q1 %(q1)s, Q3 %(q3)s).")
    else:
        text = _("%(disq)s of the %(bids)s bids this agency submitted were disqualified "
                 "(%(ratio)s). Among %(n)s agencies a share at or above %(fence)s is unusually "
                 "high (upper fence Q3 + 1.5·IQR; Q1 %(q1)s, Q3 %(q3)s).")
    return text % {"disq": f["disqualified_bids"], "bids": f["submitted_bids"],
                   "ratio": _pct(f["ratio"]), "n": f["n"], "fence": _pct(f["fence"]),
                   "q1": _pct(f["q1"]), "q3": _pct(f["q3"])}


def _shared_names() -> dict:
    return {"ip": _("the IP address the bids were submitted from"),
            "phone": _("a contact phone"), "email": _("a contact e-mail"),
            "address": _("an address"),
            "bank_account": _("the same bank account (per the payment provider)")}


def _shared_item(names: dict, item: dict) -> str:
    """One shared detail: what, and the value where it may be shown (never a bank
    account's fingerprint, which is stored without a value)."""
    what = names.get(item["what"], item["what"])
    return f"{what}: {item['value']}" if item["value"] else what


def _cn01(f: dict) -> str:
    names = _shared_names()
    parts = "; ".join((_("%(count)s agencies share %(what)s (%(value)s)") if item["value"]
                       else _("%(count)s agencies share %(what)s")) % {
        "count": len(item["agencies"]), "what": names.get(item["what"], item["what"]),
        "value": item["value"]} for item in f["shared"])
    text = _("Agencies that bid against each other on this project look like one and the "
             "same: %(parts)s. They may be colluding or bidding under several names.") % {
        "parts": parts}
    if f.get("same_browser_agencies"):
        text += " " + _("Their bids also came from the same browser.")
    return text


def _cn02(f: dict) -> str:
    first, second = f["members"]
    return _("These two agencies both bid on %(shared)s awarded projects and took turns "
             "winning them (%(first)s and %(second)s wins), while winning little elsewhere "
             "(at most %(outside)s of each one's wins). Bidding together at least "
             "%(threshold)s times "
             "and sharing the wins is the pattern of bid rotation: check whether the losing "
             "bids were genuine.") % {
        "shared": f["shared_projects"], "first": first["wins"], "second": second["wins"],
        "outside": _pct(f["max_outside"]),
        "threshold": f["threshold"]}


def _cn03(f: dict) -> str:
    return _("On %(close)s projects this agency came second at most %(margin)s above the same "
             "winner (largest gap %(gap)s): %(share)s of the %(lost)s projects it lost to that "
             "winner. Coming second just above the same winner at least %(threshold)s times "
             "is the pattern of cover bidding: a bid made only to look like competition.") % {
        "close": f["close_seconds"], "margin": _pct(f["margin"]),
        "gap": _pct(f["largest_gap"]), "share": _pct(f["share"]),
        "lost": f["losses_to_winner"], "threshold": f["threshold"]}


def _cn04(f: dict) -> str:
    return _("This agency won %(wins)s of this owner's %(projects)s awarded projects "
             "(%(share)s), against %(market)s of the whole market. Among %(n)s owner–agency "
             "pairs (owners with at least %(min)s awarded projects) a share at or above "
             "%(fence)s is unusually high (upper fence Q3 + 1.5·IQR; Q1 %(q1)s, Q3 %(q3)s), "
             "and a favourite wins at least %(floor)s: the owner may be favouring it.") % {
        "wins": f["wins"], "projects": f["owner_projects"], "share": _pct(f["share"]),
        "market": _pct(f["market_share"]), "n": f["n"], "min": f["min_projects"],
        "fence": _pct(f["fence"]), "q1": _pct(f["q1"]), "q3": _pct(f["q3"]),
        "floor": _pct(f["min_share"])}


def _cn05(f: dict) -> str:
    return _("%(count)s of this owner's %(projects)s awarded projects (%(share)s) were awarded "
             "without competition: %(direct)s by direct selection, %(single)s accepting a "
             "single valid bid (monopoly items not counted). Among the %(n)s other owners "
             "with at least %(min)s awarded projects a share at or above %(fence)s is "
             "unusually high (upper fence Q3 + 1.5·IQR; Q1 %(q1)s, Q3 %(q3)s), and it "
             "happened at least %(threshold)s times.") % {
        "count": f["non_competitive"], "projects": f["owner_projects"],
        "share": _pct(f["share"]), "direct": f["direct"], "single": f["single_bid_allowed"],
        "n": f["n"], "min": f["min_projects"], "fence": _pct(f["fence"]),
        "q1": _pct(f["q1"]), "q3": _pct(f["q3"]), "threshold": f["threshold"]}


EXPLAIN = {"CN01": _cn01, "CN02": _cn02, "CN03": _cn03, "CN04": _cn04, "CN05": _cn05,
           "R003": _r003, "R018": _r018, "R024": _r024, "R058": _r058, "R025": _r025,
           "R028": _r028, "R030": _r030, "R035": _r035, "R036": _r036, "R038": _r038}


def explanation(flag: RedFlag) -> str:
    try:
        return EXPLAIN[flag.indicator](flag.figures)
    except (KeyError, TypeError, ValueError):
        return flag.get_indicator_display()


def _labels() -> dict:
    return {
        "days": _("Bidding period (whole days)"), "threshold": _("Threshold"),
        "published_at": _("Published"), "bid_deadline": _("Bid deadline"),
        "tenderers": _("Agencies that bid"), "method": _("Selection method"),
        "winning_price": _("Winning bid"), "second_price": _("Second-lowest valid bid"),
        "difference": _("Difference"), "q1": _("First quartile (Q1)"),
        "q3": _("Third quartile (Q3)"), "fence": _("Fence"), "n": _("Compared with"),
        "valid_bids": _("Valid bids"), "wins": _("Bids won"), "ratio": _("Ratio"),
        "top_bidders_from": _("Top bidders from (valid bids)"),
        "submitted_at": _("Submitted"), "revised_at": _("Revised"),
        "disqualified_tenderers": _("Other agencies disqualified"),
        "lowest_valid_price": _("Lowest valid bid"),
        "lowest_disqualified_price": _("Lowest disqualified bid"),
        "group": _("Compared among"), "submitted_bids": _("Bids submitted"),
        "disqualified_bids": _("Bids disqualified"), "prices": _("Identical prices"),
        "shared": _("Shared details"),
        "same_browser_agencies": _("Agencies bidding from the same browser"),
        "shared_projects": _("Projects both bid on"), "members": _("Wins of each agency"),
        "pair_wins": _("Won by the two"),
        "max_outside": _("Largest share of wins elsewhere"), "projects": _("Projects"),
        "close_seconds": _("Close second places"),
        "losses_to_winner": _("Projects lost to this winner"), "share": _("Share"),
        "largest_gap": _("Largest gap above the winner"), "margin": _("Margin"),
        "min_share": _("Smallest share"), "owner_projects": _("Owner's awarded projects"),
        "market_share": _("Share of the whole market"),
        "min_projects": _("Owners compared from (awarded projects)"),
        "non_competitive": _("Awarded without competition"),
        "direct": _("By direct selection"),
        "single_bid_allowed": _("Accepting a single valid bid"),
    }


RATIOS = {"difference", "q1", "q3", "fence", "ratio", "max_outside", "share", "largest_gap",
          "margin", "min_share", "market_share"}
MONEY = {"winning_price", "second_price", "lowest_valid_price", "lowest_disqualified_price"}
MOMENTS = {"published_at", "bid_deadline", "submitted_at", "revised_at"}


def _member_names(figures: dict) -> dict[int, str]:
    """The names of CN02's agencies (one query, only for such a flag)."""
    members = [item["agency"] for item in figures.get("members") or []]
    if not members:
        return {}
    return dict(Organization.objects.filter(pk__in=members).values_list("pk", "name"))


def figure_rows(figures: dict) -> list[tuple[str, str]]:
    """The figures as (label, value) rows: ratios as percentages, except where a fence is a
    number of bids (R025's `top_bidders_from`)."""
    labels = _labels()
    names = _member_names(figures)
    rows = []
    for name, value in figures.items():
        if name == "prices":
            value = "; ".join(_("%(price)s by %(count)s agencies") % {
                "price": format_money(group["price"]), "count": len(group["agencies"])}
                for group in value)
        elif name == "shared":
            names = _shared_names()
            value = "; ".join(_shared_item(names, item) for item in value)
        elif name == "members":
            value = "; ".join(_("%(name)s: %(wins)s won together, %(elsewhere)s elsewhere") % {
                "name": names.get(item["agency"], f"#{item['agency']}"), "wins": item["wins"],
                "elsewhere": item["wins_elsewhere"]} for item in value)
        elif name == "projects":
            value = ", ".join(f"#{project}" for project in value)
        elif name == "group":
            value = _("owners") if value == "owner" else _("agencies")
        elif name == "method" and value in Project.Method.values:
            value = Project.Method(value).label
        elif name in MONEY:
            value = format_money(value)
        elif name in MOMENTS and value:
            value = local_minute(dt.datetime.fromisoformat(value))
        elif name in RATIOS and value is not None:
            value = _pct(value)
        rows.append((labels.get(name, name), "" if value is None else str(value)))
    return rows
