"""Recognising columns by their names, in English and Chinese, and outcome values.

ACDs name the same thing many ways ("Call Start", "Arrival Time", 来电时间). A header is
normalised (case, punctuation, units such as "(s)" or "sec" dropped) and looked up in
:data:`SYNONYMS`. Anything not recognised is mapped by the planner in an import profile.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: role -> normalised header names, most specific first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "arrival": (
        "call start", "call start time", "start time", "arrival", "arrival time", "call time",
        "call date time", "call datetime", "date time", "datetime", "timestamp", "time stamp",
        "offered time", "received time", "call received", "start", "enter time", "queue start",
        "time", "时间",
        "来电时间", "呼入时间", "开始时间", "呼叫时间", "进线时间", "呼叫开始时间", "来电日期时间",
    ),
    "date": ("date", "call date", "day", "日期", "来电日期", "呼叫日期"),
    "interval_start": (
        "interval start", "interval", "period start", "period", "time interval", "interval time",
        "half hour", "datetime", "date time", "timestamp", "start time", "时段", "时间段", "时段开始",
        "time", "时间",
    ),
    "queue": (
        "queue", "queue name", "skill", "skill group", "skill name", "split", "service", "type",
        "department", "line", "campaign", "vdn", "application",
        "队列", "技能组", "业务类型", "技能", "服务类型", "队列名称",
    ),
    "outcome": (
        "outcome", "result", "call result", "disposition", "status", "call status", "call outcome",
        "呼叫结果", "结果", "状态", "接通状态", "通话结果",
    ),
    "wait_seconds": (
        "wait", "wait time", "waiting time", "queue time", "time in queue", "queue duration",
        "q time", "speed of answer", "answer time", "delay",
        "等待时长", "排队时长", "等待时间", "排队时间",
    ),
    "talk_seconds": (
        "talk", "talk time", "talk duration", "conversation time", "ser time", "service time",
        "通话时长", "通话时间", "通话秒数",
    ),
    "hold_seconds": ("hold", "hold time", "hold duration", "保持时长", "保持时间"),
    "acw_seconds": (
        "acw", "acw time", "wrap", "wrap time", "wrap up", "wrap up time", "wrapup",
        "after call work", "after call work time", "话后处理时长", "整理时长", "事后处理时长", "话后时长",
    ),
    "handle_seconds": (
        "handle time", "handling time", "call duration", "duration", "handle duration",
        "处理时长", "服务时长",
    ),
    "ivr_seconds": ("ivr time", "vru time", "ivr duration", "ivr", "语音导航时长"),
    "call_id": (
        "call id", "callid", "call identifier", "call key", "session id", "contact id", "id",
        "呼叫编号", "通话编号", "流水号", "呼叫id", "通话id",
    ),
    "caller": (
        "caller", "caller number", "caller id", "ani", "calling number", "phone", "phone number",
        "telephone", "from", "cli", "msisdn", "主叫号码", "来电号码", "客户号码", "主叫", "电话号码",
    ),
    "customer_id": (
        "customer id", "customer", "customer number", "account", "account number", "client id",
        "member id", "客户编号", "客户id", "客户号", "会员号",
    ),
    "agent": (
        "agent", "agent name", "agent id", "server", "operator", "user", "employee", "rep",
        "坐席", "坐席姓名", "坐席工号", "员工", "客服", "座席", "座席姓名", "工号",
    ),
    "offered": (
        "offered", "calls offered", "offered calls", "calls", "inbound calls", "calls received",
        "received", "volume", "contacts", "contacts offered", "n calls",
        "来电量", "呼入量", "进线量", "来电数", "呼入数",
    ),
    "handled": (
        "handled", "answered", "calls handled", "calls answered", "handled calls", "answered calls",
        "接通量", "应答量", "接通数", "接听量",
    ),
    "abandoned": (
        "abandoned", "abandons", "calls abandoned", "abandoned calls", "lost", "lost calls",
        "放弃量", "呼损量", "放弃数", "未接量",
    ),
    "aht_seconds": (
        "aht", "average handle time", "avg handle time", "avg handling time", "mean handle time",
        "平均处理时长", "平均通话时长",
    ),
    "handle_seconds_total": (
        "total handle time", "handle time total", "handle time sum", "total handling time",
        "总处理时长", "总通话时长",
    ),
}

#: Outcome words, normalised like headers.
ANSWERED_WORDS = (
    "answered", "answer", "handled", "agent", "completed", "connected", "served", "accepted",
    "接通", "已接通", "已接", "应答", "已应答", "人工接听",
)
ABANDONED_WORDS = (
    "abandoned", "abandon", "abn", "hang", "hangup", "hung up", "caller hung up", "lost",
    "放弃", "呼损", "未接", "未接通", "客户挂断", "排队放弃",
)
DROP_WORDS = ("phantom", "test", "test call", "测试", "测试呼叫")

_UNITS = re.compile(r"\b(secs?|seconds?|s|sec\.|hh mm ss|mm ss|min|minutes?)\b")
_PUNCT = re.compile(r"[^\w\u4e00-\u9fff]+")


def normalise(name: str) -> str:
    """'Wait Time (s)' -> 'wait time'; 'Call_Start' -> 'call start'; 等待时长(秒) -> 等待时长."""
    text = str(name).strip().lower().replace("_", " ")
    text = re.sub(r"[（(][^)）]*[)）]", " ", text)  # drop "(s)", "(秒)"
    text = _PUNCT.sub(" ", text)
    text = _UNITS.sub(" ", text)
    return " ".join(text.split())


def detect_columns(columns: Iterable[str], roles: Iterable[str]) -> dict[str, str]:
    """Map each role to at most one column by name; each column serves one role.

    Exact matches of a normalised header beat prefix matches; roles are served in the order
    given, so pass the more specific roles first.
    """
    cols = list(columns)
    norm = {c: normalise(c) for c in cols}
    taken: set[str] = set()
    found: dict[str, str] = {}
    roles = list(roles)
    for exact in (True, False):
        for role in roles:
            if role in found:
                continue
            for syn in SYNONYMS.get(role, ()):
                match = next(
                    (
                        c
                        for c in cols
                        if c not in taken
                        and (norm[c] == syn if exact else _loose_match(norm[c], syn))
                    ),
                    None,
                )
                if match is not None:
                    found[role] = match
                    taken.add(match)
                    break
    return found


def _loose_match(header: str, synonym: str) -> bool:
    if len(synonym) < 4 and not re.search(r"[\u4e00-\u9fff]", synonym):
        return False
    return header.startswith(synonym + " ") or header.endswith(" " + synonym)


def classify_outcome(value: str) -> str | None:
    """'answered', 'abandoned', 'drop' or None for an outcome text."""
    v = normalise(value)
    if v in ANSWERED_WORDS:
        return "answered"
    if v in ABANDONED_WORDS:
        return "abandoned"
    if v in DROP_WORDS:
        return "drop"
    return None
