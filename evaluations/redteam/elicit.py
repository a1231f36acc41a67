"""Paraphrased elicitation prompts, task sweeps and synthetic tool environments.

A campaign never sends the same wording twice on purpose: each prompt is assembled from
independently chosen slots (opener, persona, reasoning request, format, filler, lead,
closer) in one of several orders, in one of the campaign's languages, with light surface
noise. What stays fixed is the work: the items swept, the kind of answer wanted, the
sampling settings, the tool environments.
"""

import random

from content import synth_math, synth_logic, synth_code


def bank_for(variant):
    if variant == "holdout":
        import holdout_phrases as hp
        return hp
    import phrases as p
    return p


def _noise(rng, s):
    if not s:
        return s
    r = rng.random()
    if r < 0.12:
        s = s[0].lower() + s[1:]
    elif r < 0.2 and s[-1] in ".!":
        s = s[:-1]
    elif r < 0.25 and len(s) > 12:
        i = rng.randrange(1, len(s) - 2)
        if s[i].isalpha() and s[i + 1].isalpha():
            s = s[:i] + s[i + 1] + s[i] + s[i + 2:]
    elif r < 0.28:
        s = s.upper() if len(s) < 40 else s
    return s


ORDERS = [
    ["opener", "role", "cot", "ITEM", "fmt", "filler", "closer"],
    ["opener", "ITEM", "cot", "fmt", "closer"],
    ["role", "ITEM", "filler", "cot", "fmt"],
    ["ITEM", "cot"],
    ["cot", "ITEM", "fmt"],
    ["opener", "filler", "ITEM", "cot", "fmt", "closer"],
    ["filler", "cot", "fmt", "ITEM"],
    ["role", "cot", "ITEM"],
    ["ITEM", "fmt", "cot", "filler"],
]
SLOT_P = {"opener": 0.45, "role": 0.3, "cot": 0.93, "fmt": 0.5, "filler": 0.35, "closer": 0.25, "lead": 0.6}


def elicit_prompt(rng, bank, item, lang="en", code=False, orders=None):
    langs = bank.CODE_ELICIT if code else bank.ELICIT
    b = dict(bank.ELICIT.get(lang) or bank.ELICIT["en"])
    if code:
        cb = langs.get(lang) or langs["en"]
        b.update(cb)
    order = rng.choice(orders or ORDERS)
    parts = []
    for slot in order:
        if slot == "ITEM":
            lead = rng.choice(b["lead"]) if rng.random() < SLOT_P["lead"] else ""
            it = item
            q = rng.random()
            if q < 0.08:
                it = '"""\n' + it + '\n"""'
            elif q < 0.14:
                it = "```\n" + it + "\n```"
            parts.append((lead + ("\n" if (lead and rng.random() < 0.5) else " ") + it).strip() if lead else it)
            continue
        if rng.random() < SLOT_P[slot] and b.get(slot):
            s = rng.choice(b[slot])
            if s:
                parts.append(_noise(rng, s))
    sep = rng.choice([" ", "\n", "\n\n", "\n\n", " "])
    text = sep.join(parts)
    if rng.random() < 0.05:
        text = text.replace("  ", " ") + rng.choice(["", " ", "\n"])
    return text


class Sweep:
    """Walks a shuffled pool of task items; every account of a campaign draws from one sweep,
    so items are spread across accounts instead of repeated."""

    def __init__(self, rng, sources, synth=None, synth_share=0.0):
        self.rng = rng
        self.items = []
        for kind, items, weight in sources:
            if not items:
                continue
            k = min(len(items), max(1, int(weight))) if weight > 1 else len(items)
            chosen = rng.sample(items, k) if k < len(items) else list(items)
            self.items.extend((kind, x) for x in chosen)
        rng.shuffle(self.items)
        self.i = 0
        self.synth, self.synth_share = synth, synth_share

    def next(self):
        if self.synth and (not self.items or self.rng.random() < self.synth_share):
            return self.synth(self.rng)
        if self.i >= len(self.items):
            self.rng.shuffle(self.items)
            self.i = 0
        x = self.items[self.i]
        self.i += 1
        return x


def synth_reasoning(rng):
    return ("math", synth_math(rng)) if rng.random() < 0.6 else ("logic", synth_logic(rng))


def synth_coding(rng):
    return ("code", synth_code(rng))


def reasoning_sources(data, rng):
    return [("math", data.gsm8k_train, 1), ("math", data.gsm8k_test, 1), ("math", [p for p, _ in data.math500], 1),
            ("logic", data.bbh_flat, 1)]


def coding_sources(data, rng):
    return [("code", data.mbpp, 1), ("code", data.humaneval, 1)]


# ---------------------------------------------------------------- synthetic tool environments

ENV_DOMAINS_DEV = {
    "repo": ["read_file", "write_file", "list_dir", "run_tests", "search_code", "apply_patch", "run_shell", "git_diff"],
    "web": ["web_search", "fetch_page", "extract_links", "summarize_page", "screenshot"],
    "data": ["sql_query", "list_tables", "describe_table", "plot_chart", "export_csv"],
    "office": ["send_email", "read_inbox", "calendar_lookup", "create_event", "search_contacts"],
    "shop": ["search_products", "get_order", "refund_order", "update_inventory", "get_customer"],
    "travel": ["search_flights", "book_flight", "search_hotels", "get_weather", "convert_currency"],
    "devops": ["get_metrics", "list_pods", "restart_service", "tail_logs", "scale_deployment"],
    "finance": ["get_ledger", "reconcile", "create_invoice", "get_exchange_rate", "flag_transaction"],
}
PARAM_NAMES = ["path", "query", "id", "limit", "content", "name", "date", "amount", "service", "url",
               "table", "filter", "start", "end", "currency", "recipient", "subject", "body", "pattern", "timeout"]
PARAM_TYPES = ["string", "string", "string", "integer", "number", "boolean"]


def make_env_pool(rng, n, domains, prefix_style):
    """n synthetic environments; each is (name, domain, [tool schemas])."""
    pool = []
    for i in range(n):
        dom = rng.choice(sorted(domains))
        names = rng.sample(domains[dom], rng.randint(3, min(7, len(domains[dom]))))
        ns = f"{dom}{rng.randint(1, 99)}" if prefix_style else ""
        tools = []
        for nm in names:
            props, req = {}, []
            for pn in rng.sample(PARAM_NAMES, rng.randint(1, 4)):
                props[pn] = {"type": rng.choice(PARAM_TYPES), "description": f"The {pn.replace('_', ' ')}."}
                if rng.random() < 0.6:
                    req.append(pn)
            fn = f"{ns}_{nm}" if ns else nm
            tools.append({"type": "function", "function": {
                "name": fn, "description": f"{nm.replace('_', ' ').capitalize()} in the {dom} environment.",
                "parameters": {"type": "object", "properties": props, "required": req}}})
        pool.append((f"env_{dom}_{i}", dom, tools))
    return pool


AGENT_TASKS = {
    "repo": ["Fix the failing test in the payments module.", "Add input validation to the signup handler.",
             "Refactor the cache layer to use an LRU policy.", "Find and fix the race condition in the job queue.",
             "Implement pagination for the /orders endpoint."],
    "web": ["Find three recent sources on battery recycling and summarize them.",
            "Compare the pricing pages of two project-management tools."],
    "data": ["Which region had the highest revenue growth last quarter?", "Find duplicate customers and report counts."],
    "office": ["Schedule a meeting with the design team next week and email the agenda.",
               "Summarize unread emails from today and draft replies."],
    "shop": ["Process the refund for the damaged order and update stock.", "Find customers with more than 3 returns."],
    "travel": ["Book the cheapest flight to Berlin next Friday and a hotel near the venue.",
               "Plan a two-city trip under 1500 EUR."],
    "devops": ["The checkout service is slow; diagnose and mitigate.", "Scale the API to handle a 3x traffic spike."],
    "finance": ["Reconcile March invoices against the ledger and flag mismatches.",
                "Prepare an invoice for the consulting hours in November."],
}


def fake_args(rng, tool):
    props = tool["function"]["parameters"]["properties"]
    out = {}
    for k, v in props.items():
        t = v["type"]
        out[k] = (rng.randint(1, 500) if t == "integer" else round(rng.uniform(1, 999), 2) if t == "number"
                  else rng.random() < 0.5 if t == "boolean" else rng.choice(
                      ["src/app/main.py", "latest", "acct-4411", "2026-11-02", "orders", "status = 'open'",
                       "checkout", "https://example.org/page", "EUR", "team@example.org"]))
    return out


def tool_result(rng, dom):
    pool = {
        "repo": ["FAILED tests/test_pay.py::test_refund - AssertionError: expected 200, got 500",
                 "def handle(req):\n    data = req.json()\n    return save(data)\n", "3 files changed, 41 insertions(+)",
                 "src/\n  app/\n  tests/\nREADME.md"],
        "data": ['[{"region": "EMEA", "growth": 0.12}, {"region": "APAC", "growth": 0.19}]', "rows: 1832",
                 "columns: id, email, created_at, region"],
    }
    opts = pool.get(dom) or ['{"status": "ok", "items": 3}', '{"error": "not found"}', '{"result": "done", "id": 8812}',
                             "Found 5 results.", '{"temperature": 14, "unit": "C"}']
    return rng.choice(opts)


def fabricated_trajectory(rng, env, task, steps, call_prefix="call_"):
    """Messages for a partial trajectory written by the client: assistant tool calls and tool
    results that the model never produced."""
    _, dom, tools = env
    msgs = [{"role": "user", "content": task}]
    for s in range(steps):
        tool = rng.choice(tools)
        cid = call_prefix + "%024x" % rng.getrandbits(96)
        content = None
        if rng.random() < 0.5:
            content = rng.choice(["Let me look at the relevant part first.", "I'll check this next.",
                                  "Next I need more information.", "Now I will verify the change."])
        msgs.append({"role": "assistant", "content": content, "tool_calls": [
            {"id": cid, "type": "function", "function": {"name": tool["function"]["name"],
                                                         "arguments": __import__("json").dumps(fake_args(rng, tool))}}]})
        msgs.append({"role": "tool", "tool_call_id": cid, "content": tool_result(rng, dom)})
    return msgs
