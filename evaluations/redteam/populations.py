"""Legitimate populations, including the look-alikes of distillation: evaluation teams,
tutoring apps, fixed-template app back-ends, routers/resellers, agent developers,
companies behind one NAT, early adopters of a new model, researchers, ordinary chat users.

Ordinary users carry quirks that make them look suspicious on one axis (a commercial
VPN, rotating mobile addresses, step-by-step questions, a fresh account, night hours,
reasoning-model sampling settings, huge max_tokens), never on all at once.
"""

import hashlib
import json

from world import (uuidish, Account, Client, MS_D, MS_H, SDK_UAS, APP_UAS, ALL_UAS, pick_w, lognorm_int, hexid, split_quota,
                   RESIDENTIAL, MOBILE, CLOUD, UNIVERSITY, BUSINESS, COUNTRY_TZ, COUNTRY_LANG)
from content import (chat_prompt, CHAT_OTHER, FOLLOWUPS, TUTOR_FOLLOWUPS, TUTOR_SYSTEMS, APP_TEMPLATES, app_input,
                     synth_math, synth_logic, synth_code, NAMES)
from elicit import elicit_prompt, bank_for, make_env_pool, fake_args, tool_result, ENV_DOMAINS_DEV
import phrases as dev_phrases


def _tz(cc, rng):
    return COUNTRY_TZ.get(cc, 0) + (rng.choice([0, -1, -2, -3]) if cc == "US" else 0)


def _corpus_snippet(world):
    corpus = world.data.corpus

    def f(rng):
        return rng.choice(corpus) if corpus else " ".join(world.text.chat[:6])
    return f


def _session_times(world, rng, n, profile, tz, first_ms=None, turns_mean=2.0, weekend=0.6):
    """n request times grouped into sessions of a few turns each."""
    out = []
    while len(out) < n:
        t = world.clock.sample(rng, profile, tz, weekend, first_ms)
        k = 1
        while rng.random() < 1 - 1 / turns_mean and k < 12:
            k += 1
        sid = "sess_" + hexid(rng, 12)
        for i in range(min(k, n - len(out))):
            out.append((min(t, world.end_ms - 1), sid, i))
            t += int(rng.uniform(15, 240) * 1000)
    return out


def _fill_accounts(quota, rng, make, size):
    """Make accounts with sizes until the quota is met exactly."""
    res, total = [], 0
    while total < quota:
        a = make()
        n = min(size(a), quota - total)
        res.append((a, n))
        total += n
    return res


def _model_for(world, rng, t, kind="chat", adopt=0.25):
    if t >= world.release_ms and rng.random() < adopt:
        return world.model_new
    return {"chat": world.models_old[0], "reason": world.models_old[1], "code": world.models_old[2]}[kind]


# ---------------------------------------------------------------- ordinary chat users

def _chat_first(world, rng, a):
    q = a.extra
    if q.get("cot") and rng.random() < 0.5:
        item = rng.choice([synth_math(rng), synth_logic(rng)] + ([rng.choice(world.data.gsm8k_train)]
                                                                if world.data.gsm8k_train else []))
        return elicit_prompt(rng, dev_phrases, item, q.get("lang", "en") if q.get("lang") in dev_phrases.ELICIT else "en"), "reason"
    if q.get("lang") and q["lang"] in CHAT_OTHER and rng.random() < 0.7:
        return rng.choice(CHAT_OTHER[q["lang"]]), "chat"
    if q.get("coder") and rng.random() < 0.5:
        return synth_code(rng) + rng.choice(["", " In Python.", " Explain it too.", " Keep it short."]), "code"
    r = rng.random()
    if r < 0.45 and world.data.chat_pool:
        return rng.choice(world.data.chat_pool), "chat"
    return chat_prompt(rng), "chat"


def _chat_account(world, rng, population="chat", created=None, client=None, email=None, tier=None, pf=None):
    a = Account(world, rng, population, created_ms=created, email=email,
                tier=tier or rng.choice(["free", "free", "tier1", "tier1", "tier2"]), pf=pf)
    asn, cc = rng.choice(RESIDENTIAL)
    a.extra.update({"cc": cc, "tz": _tz(cc, rng)})
    if client is not None:
        a.client = client
    else:
        r = rng.random()
        uas = [pick_w(rng, ALL_UAS) for _ in range(1 if rng.random() < 0.65 else rng.randint(2, 4))]
        if r < 0.07:
            a.client = Client(world.net, rng, "relay", cc=cc, uas=uas)
        elif r < 0.15:
            a.client = Client(world.net, rng, "vpn_or_home", uas=uas)
            a.client.home = (world.net.ip(rng, asn), asn, cc)
            a.extra["quirk_vpn"] = True
        elif r < 0.35:
            masn, mcc = rng.choice(MOBILE)
            a.client = Client(world.net, rng, "mobile", asn=masn, cc=mcc, uas=uas)
            a.extra.update({"cc": mcc, "tz": _tz(mcc, rng)})
        else:
            a.client = Client(world.net, rng, "stable", asn=asn, cc=cc, uas=uas, n_ips=rng.choice([1, 1, 2, 3]))
    a.extra["cot"] = rng.random() < 0.15
    a.extra["coder"] = rng.random() < 0.3
    lang = COUNTRY_LANG.get(a.extra["cc"])
    if lang and rng.random() < 0.6:
        a.extra["lang"] = lang
    a.extra["profile"] = "night" if rng.random() < 0.05 else ("flat" if rng.random() < 0.03 else "consumer")
    a.extra["settings"] = ({"temperature": 0.6, "top_p": 0.95} if rng.random() < 0.1 else
                           {"temperature": round(rng.uniform(0.2, 1.0), 1)} if rng.random() < 0.3 else {})
    if rng.random() < 0.05:
        a.extra["settings"]["max_tokens"] = rng.choice([16384, 32768])
    elif rng.random() < 0.4:
        a.extra["settings"]["max_tokens"] = rng.choice([512, 1024, 2048, 4096])
    a.extra["stream"] = rng.random() < 0.4
    a.extra["reasoner"] = rng.random() < (0.7 if a.extra["cot"] else 0.3)  # prefers the reasoning model for everything
    if a.extra["reasoner"] and rng.random() < 0.5:
        a.extra["settings"]["max_tokens"] = rng.choice([8192, 16384, 32768])
    if rng.random() < 0.1:
        a.extra["user_id"] = uuidish(rng)  # some chat front-ends send a stable user id
    return a


def _emit_chat_sessions(world, rng, a, n, profile=None, tz=None, first_ms=None, model_kind=None, adopt=0.25):
    hist = {}
    first = max(first_ms or 0, a.extra["created_ms"])
    for t, sid, turn in _session_times(world, rng, n, profile or a.extra["profile"],
                                       a.extra["tz"] if tz is None else tz, first if first > world.start_ms else None):
        msgs = hist.get(sid)
        if msgs is None or turn == 0:
            text, kind = _chat_first(world, rng, a)
            msgs = [{"role": "user", "content": text}]
            if rng.random() < 0.15:
                msgs.insert(0, {"role": "system", "content": rng.choice(
                    ["You are a helpful assistant.", "Be concise.", "You are a helpful assistant. Answer in the user's language.",
                     "You are an expert programmer.", "Always answer in British English."])})
            hist[sid] = (msgs, kind)
        else:
            msgs, kind = msgs
            msgs = msgs + [{"role": "assistant", "content": world.last_text[:1500]},
                           {"role": "user", "content": rng.choice(FOLLOWUPS)}]
            hist[sid] = (msgs, kind)
        req = {"messages": list(msgs)}
        req.update(a.extra.get("settings", {}))
        if a.extra.get("user_id"):
            req["user"] = a.extra["user_id"]
        if a.extra.get("stream"):
            req["stream"] = True
        toks = (lognorm_int(rng, 900, 0.5, 100, 5000) if kind == "reason" else
                lognorm_int(rng, 350, 0.6, 40, 2500) if kind == "code" else lognorm_int(rng, 280, 0.7, 15, 2000))
        world.emit(rng, a, t, req, kind if kind != "chat" else "chat", toks, lang=a.extra.get("lang", "en"),
                   session=sid if a.extra.get("sessions", True) else None,
                   model=_model_for(world, rng, t, model_kind or ("reason" if (kind == "reason" or a.extra.get("reasoner"))
                                                                  else "code" if kind == "code" else "chat"), adopt))


def chat(world, quota, rng):
    def make():
        created = None
        if rng.random() < 0.15:
            created = world.start_ms + int(rng.uniform(-3, world.days - 1) * MS_D)
        a = _chat_account(world, rng, created=created)
        a.extra["sessions"] = rng.random() < 0.6
        return a
    # half casual users (a few requests), half regulars (several a day), a heavy tail of power users
    size = lambda a: (lognorm_int(rng, 8, 1.0, 1, 200) if rng.random() < 0.5 else
                      lognorm_int(rng, 70, 0.8, 10, 3000 if rng.random() < 0.05 else 600))
    for a, n in _fill_accounts(quota, rng, make, size):
        _emit_chat_sessions(world, rng, a, n)


# ---------------------------------------------------------------- companies behind one NAT

def nat_company(world, quota, rng):
    n_co = max(1, min(8, quota // 1200))
    for q in split_quota(rng, quota, [rng.uniform(0.5, 1.5) for _ in range(n_co)]):
        domain = rng.choice(["northwind", "bluepeak", "kestrel", "orbitalis", "fernhill", "quanta", "harbourline",
                             "silvergate", "tessera", "vantage"]) + "-" + hexid(rng, 3) + rng.choice([".com", ".io", ".de", ".co.uk"])
        asn, cc = rng.choice(BUSINESS)
        nat_ip = [(world.net.ip(rng, asn), asn, cc)]
        nat = Client(world.net, rng, "nat", uas=["x"], fixed_ips=nat_ip)
        corp_card = "pf_" + hexid(rng, 12)
        onboard = world.start_ms - int(rng.uniform(-3, 200) * MS_D)
        tz = COUNTRY_TZ.get(cc, 0)
        template = rng.choice(APP_TEMPLATES)

        def make():
            created = onboard + int(rng.uniform(0, 1.5) * MS_D) if rng.random() < 0.7 else onboard + int(rng.uniform(0, 60) * MS_D)
            created = min(created, world.end_ms - 2 * MS_D)
            c = Client(world.net, rng, "nat", uas=[pick_w(rng, ALL_UAS)], fixed_ips=nat_ip)
            a = _chat_account(world, rng, "nat_company", created=created, client=c, email=domain,
                              tier="enterprise", pf=corp_card if rng.random() < 0.6 else None)
            a.extra.update({"tz": tz, "profile": "business", "coder": rng.random() < 0.5, "lang": None,
                            "internal": rng.random() < 0.2})
            return a
        for a, n in _fill_accounts(q, rng, make, lambda a: lognorm_int(rng, 40, 0.8, 3, 600)):
            if a.extra.get("internal"):
                for _ in range(n):
                    t = world.clock.sample(rng, "business", tz, 0.1, a.extra["created_ms"] if a.extra["created_ms"] > world.start_ms else None)
                    req = {"messages": [{"role": "user", "content": app_input(rng, template[0], _corpus_snippet(world))}],
                           "temperature": 0}
                    world.emit(rng, a, t, req, template[1], lognorm_int(rng, template[2], 0.3, 3, 400))
            else:
                _emit_chat_sessions(world, rng, a, n)


# ---------------------------------------------------------------- evaluation teams

EVAL_UAS = ["lm-eval/0.4.5", "openai-python/1.55.3", "python-httpx/0.27.2", "inspect-eval/0.3.40", "evalrunner/2.1"]


def _eval_items(world, rng, bench):
    d = world.data
    if bench == "gsm8k":
        shots = d.gsm8k_shots[:8] if d.gsm8k_shots else []
        prefix = "".join(f"Question: {q}\nAnswer: {a}\n\n" for q, a in shots)
        items = d.gsm8k_test or [synth_math(rng) for _ in range(400)]
        return [prefix + f"Question: {q}\nAnswer: Let's think step by step." for q in items], "eval_cot", 260
    if bench == "math500":
        items = [p for p, _ in d.math500] or [synth_math(rng) for _ in range(300)]
        return [f"Solve the following math problem. Put your final answer within \\boxed{{}}.\n\n{p}" for p in items], "eval_cot", 700
    if bench == "bbh":
        items = d.bbh_flat or [synth_logic(rng) for _ in range(400)]
        return [f"{q}\nA: Let's think step by step." for q in items], "eval_cot", 250
    if bench == "humaneval":
        items = d.humaneval or [synth_code(rng) for _ in range(164)]
        return [f"Complete the following Python function.\n\n```python\n{p}```" for p in items], "code", 180
    if bench == "mbpp":
        items = d.mbpp or [synth_code(rng) for _ in range(300)]
        return [f"You are an expert Python programmer. {p}\nWrite only the code." for p in items], "code", 160
    items = [t[0] for t in d.mtbench] or [chat_prompt(rng) for _ in range(80)]
    return [f"[Instruction]\nPlease act as an impartial judge and evaluate the response.\n\n[Question]\n{q}\n\n[The Start of Assistant's Answer]\n"
            f"{world.text.text(rng, 'chat', 120)}\n[The End of Assistant's Answer]" for q in items], "judge", 300


def eval_team(world, quota, rng):
    n_t = max(1, min(12, quota // 700))
    for q in split_quota(rng, quota, [rng.uniform(0.5, 1.5) for _ in range(n_t)]):
        domain = rng.choice(["evalworks", "benchlab", "trustml", "modelcheck", "safetyeval", "arena-labs"]) + hexid(rng, 2) + rng.choice([".ai", ".io", ".org", ".dev"])
        asn, cc = rng.choice(CLOUD)
        tz = COUNTRY_TZ.get(cc, 0)
        accts = []
        for _ in range(rng.randint(1, 3)):
            a = Account(world, rng, "eval_team", email=domain, tier="enterprise", n_keys=2,
                        created_ms=world.start_ms - int(rng.uniform(30, 600) * MS_D))
            a.client = Client(world.net, rng, "datacenter", asn=asn, cc=cc, uas=[rng.choice(EVAL_UAS)], n_ips=2)
            accts.append(a)
        left = q
        while left > 0:
            a = rng.choice(accts)
            bench = rng.choice(["gsm8k", "math500", "bbh", "humaneval", "mbpp", "judge", "gsm8k", "math500"])
            items, kind, med = _eval_items(world, rng, bench)
            k = min(left, len(items) if rng.random() < 0.6 else rng.randint(50, max(51, len(items))))
            after_release = rng.random() < 0.4
            start = (world.clock.sample(rng, "business", tz, 0.3, world.release_ms if after_release else None))
            model = world.model_new if (after_release and start >= world.release_ms) else rng.choice(world.models_old)
            passk = bench in ("humaneval", "mbpp") and rng.random() < 0.3
            legacy = rng.random() < 0.4  # some harnesses still use the completions endpoint with logprobs
            rate = rng.uniform(0.5, 4.0)  # requests per second with a concurrent harness
            t = start
            for i in range(k):
                t += int(rng.expovariate(rate) * 1000)
                req = ({"prompt": items[i % len(items)], "max_tokens": 1024, "temperature": 0, "logprobs": 1}
                       if (bench in ("bbh", "gsm8k") and legacy) else
                       {"messages": [{"role": "user", "content": items[i % len(items)]}], "temperature": 0,
                        "max_tokens": rng.choice([1024, 2048]) if kind == "eval_cot" else 512})
                if passk:
                    req.update({"n": 5, "temperature": 0.8})
                world.emit(rng, a, min(t, world.end_ms - 1), req, kind, lognorm_int(rng, med, 0.4, 20, 3000), model=model,
                           endpoint="completions" if "prompt" in req else "chat.completions")
            left -= k


# ---------------------------------------------------------------- tutoring apps

def tutoring(world, quota, rng):
    n_apps = max(1, min(12, quota // 700))
    for q in split_quota(rng, quota, [rng.uniform(0.5, 1.5) for _ in range(n_apps)]):
        cc = rng.choice(["US", "IN", "BR", "GB", "US"])
        tz = COUNTRY_TZ[cc]
        asn, ccc = rng.choice(CLOUD)
        a = Account(world, rng, "tutoring", email=rng.choice(["mathbuddy", "learnly", "tutorfox", "studyowl", "brainbee", "quizzo"]) + hexid(rng, 2) + rng.choice([".app", ".io", ".com", ".in"]),
                    tier="enterprise", n_keys=2, created_ms=world.start_ms - int(rng.uniform(60, 700) * MS_D))
        a.client = Client(world.net, rng, "datacenter", asn=asn, cc=ccc, uas=[pick_w(rng, SDK_UAS)], n_ips=3)
        system = rng.choice(TUTOR_SYSTEMS).format(name=rng.choice(["Pip", "Owly", "Max", "Nova"]))
        students = ["stu_" + hexid(rng, 10) for _ in range(max(20, q // 6))]
        items = (world.data.gsm8k_train or []) + [p for p, lvl in world.data.math500 if lvl <= 2]
        hist = {}
        for t, sid, turn in _session_times(world, rng, q, "school", tz, turns_mean=1.8, weekend=0.7):
            if turn == 0 or sid not in hist:
                prob = rng.choice(items) if (items and rng.random() < 0.6) else synth_math(rng)
                lead = rng.choice(["", "", "help: ", "can you explain this? ", "I don't understand this one: ",
                                   "how do I solve ", "Explain step by step: "])
                msgs = [{"role": "system", "content": system}, {"role": "user", "content": lead + prob}]
                hist[sid] = (msgs, rng.choice(students))
            else:
                msgs, stu = hist[sid]
                msgs = msgs + [{"role": "assistant", "content": world.last_text[:1500]},
                               {"role": "user", "content": rng.choice(TUTOR_FOLLOWUPS).format(n=rng.randint(2, 99))}]
                hist[sid] = (msgs, stu)
            req = {"messages": list(hist[sid][0]), "user": hist[sid][1], "temperature": 0.3, "max_tokens": 1500}
            world.emit(rng, a, t, req, "tutor", lognorm_int(rng, 420, 0.4, 80, 1500), session=sid,
                       model=_model_for(world, rng, t, "reason", 0.1))


# ---------------------------------------------------------------- app back-ends (one fixed template)

def app_backend(world, quota, rng):
    n_apps = max(1, min(14, quota // 600))
    templates = [APP_TEMPLATES[i % len(APP_TEMPLATES)] for i in range(n_apps)]
    rng.shuffle(templates)
    for q, tpl in zip(split_quota(rng, quota, [rng.uniform(0.3, 2) for _ in templates]), templates):
        asn, cc = rng.choice(CLOUD)
        a = Account(world, rng, "app_backend", email=rng.choice(["shopwave", "ticketly", "reviewhub", "invoicely", "localize", "cartly", "helpdeskr"]) + hexid(rng, 2) + rng.choice([".com", ".io", ".de"]), tier="enterprise",
                    created_ms=world.start_ms - int(rng.uniform(30, 500) * MS_D))
        a.client = Client(world.net, rng, "datacenter", asn=asn, cc=cc, uas=[pick_w(rng, SDK_UAS)], n_ips=rng.randint(2, 6))
        profile = rng.choice(["flat", "business", "consumer"])
        tz = COUNTRY_TZ.get(cc, 0)
        temp = rng.choice([0, 0.2, 0.7])
        for _ in range(q):
            t = world.clock.sample(rng, profile, tz, 0.8)
            req = {"messages": [{"role": "user", "content": app_input(rng, tpl[0], _corpus_snippet(world))}],
                   "temperature": temp, "max_tokens": 256}
            world.emit(rng, a, t, req, tpl[1], lognorm_int(rng, tpl[2], 0.3, 2, 255), model=world.models_old[0])


# ---------------------------------------------------------------- routers / resellers

ROUTER_NAMES = ["relayhub", "modelmesh", "apibridge", "tokenroute", "llmgate", "switchboard-ai"]
PERSONAS = ["You are {n}, a helpful assistant for a {d} app.", "You are the support bot of {n}. Be brief and polite.",
            "You are a creative writing partner.", "You are a coding assistant inside {n}'s IDE plugin.",
            "You are a friendly language tutor. Correct mistakes gently.", "You are {n}, a travel planning assistant.",
            "Summarize what the user pastes.", "You help users draft emails.", "You are a roleplay narrator for {n}."]
DOMAINS = ["fitness", "cooking", "finance", "productivity", "gaming", "education", "shopping", "health"]


def router_account(world, quota, rng, stream=None, label=None):
    """A router/reseller account: many customer apps behind one account. With `stream`, one of
    its customers is a distillation stream (its own system prompt and end-user ids)."""
    name = rng.choice(ROUTER_NAMES)
    if label:
        lab, style, cid = label
        a = Account(world, rng, "router", lab, style, cid, email=name + ".ai", tier="enterprise", n_keys=rng.randint(3, 6),
                    created_ms=world.start_ms - int(rng.uniform(90, 700) * MS_D))
    else:
        a = Account(world, rng, "router", email=name + "-" + hexid(rng, 2) + ".com", tier="enterprise",
                    n_keys=rng.randint(3, 6), created_ms=world.start_ms - int(rng.uniform(90, 700) * MS_D))
    asn, cc = rng.choice(CLOUD)
    ua = rng.choice([f"{name}/2.{rng.randint(0, 9)}.{rng.randint(0, 9)}", "python-httpx/0.27.2", "openai-node/4.73.1"])
    a.client = Client(world.net, rng, "datacenter", asn=asn, cc=cc, uas=[ua], n_ips=rng.randint(3, 6))
    n_cust = rng.randint(30, 120)
    custs = []
    for i in range(n_cust):
        kind = rng.choice(["chat"] * 6 + ["code"] * 2 + ["tutor", "eval", "writer"])
        cust_cc = rng.choice(RESIDENTIAL)[1]
        custs.append({"kind": kind, "system": rng.choice(PERSONAS).format(n=rng.choice(NAMES) + "AI", d=rng.choice(DOMAINS)),
                      "users": ["eu_" + hexid(rng, 10) for _ in range(rng.randint(1, 60))] if rng.random() < 0.7 else [None],
                      "tz": _tz(cust_cc, rng), "key": rng.choice(a.keys), "w": rng.lognormvariate(0, 1.2)})
    n_stream = int(quota * stream["share"]) if stream else 0
    cq = split_quota(rng, quota - n_stream, [c["w"] for c in custs])
    streams = []
    for c, q in zip(custs, cq):
        ts = sorted(world.clock.sample(rng, "consumer" if c["kind"] != "eval" else "business", c["tz"]) for _ in range(q))
        if c["kind"] == "eval" and ts:
            # an evaluation customer runs its sweep in bursts
            base = ts[0]
            ts = [base + i * int(rng.uniform(300, 2000)) for i in range(q)]
        items = None
        for t in ts:
            u = rng.choice(c["users"])
            if c["kind"] == "tutor":
                text, kind = (rng.choice(world.data.gsm8k_train) if world.data.gsm8k_train else synth_math(rng)), "tutor"
            elif c["kind"] == "eval":
                if items is None:
                    items, ekind, _ = _eval_items(world, rng, rng.choice(["gsm8k", "bbh", "math500"]))
                text, kind = items[ts.index(t) % len(items)] if len(ts) < 2000 else rng.choice(items), "eval_cot"
            elif c["kind"] == "code":
                text, kind = synth_code(rng) + rng.choice(["", " Explain briefly."]), "code"
            else:
                text, kind = ((rng.choice(world.data.chat_pool) if world.data.chat_pool and rng.random() < 0.5 else chat_prompt(rng)),
                              "chat")
            req = {"messages": [{"role": "system", "content": c["system"]}, {"role": "user", "content": text}]}
            if u:
                req["user"] = u
            if rng.random() < 0.3:
                req["temperature"] = rng.choice([0.2, 0.7, 1.0])
            world.emit(rng, a, min(t, world.end_ms - 1), req, kind, lognorm_int(rng, 300, 0.7, 10, 3000), key=c["key"],
                       model=_model_for(world, rng, t, "reason" if kind in ("tutor", "eval_cot") else "chat", 0.3),
                       stream_label=("legit", None))
    if stream:
        key = rng.choice(a.keys)
        for _ in range(n_stream):
            t = world.clock.sample(rng, stream["profile"], 0)
            req, kind, toks = stream["request"](rng, t)
            world.emit(rng, a, t, req, kind, toks, key=key, stream_label=("campaign", stream["campaign_id"]),
                       model=world.models_old[1] if t < world.release_ms or rng.random() < 0.5 else world.model_new)
        sha = hashlib.sha256(stream["system"].encode()).hexdigest()
        for u in stream["users"]:
            streams.append({"user": u, "system_sha256": sha, "label": "campaign", "campaign_id": stream["campaign_id"]})
        a.streams = streams
    return a


def router(world, quota, rng):
    n_r = max(1, min(8, quota // 1200))
    for q in split_quota(rng, quota, [rng.uniform(0.5, 1.5) for _ in range(n_r)]):
        router_account(world, q, rng)


# ---------------------------------------------------------------- agent developers

TUTORIAL_TOOL = {"type": "function", "function": {"name": "get_current_weather", "description": "Get the current weather in a given location",
                                                  "parameters": {"type": "object", "properties": {
                                                      "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
                                                      "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
                                                      "required": ["location"]}}}


def agent_dev(world, quota, rng):
    def make():
        asn, cc = rng.choice(RESIDENTIAL + BUSINESS)
        a = Account(world, rng, "agent_dev", tier=rng.choice(["tier1", "tier2", "tier3"]),
                    email=pick_w(rng, [("gmail.com", 5), ("outlook.com", 1), ("proton.me", 1), ("startup-" + hexid(rng, 3) + ".io", 3)]))
        a.client = Client(world.net, rng, "stable", asn=asn, cc=cc, uas=[pick_w(rng, SDK_UAS)], n_ips=2)
        env = make_env_pool(rng, 1, ENV_DOMAINS_DEV, prefix_style=rng.random() < 0.3)[0]
        tools = list(env[2]) + ([TUTORIAL_TOOL] if rng.random() < 0.3 else [])
        a.extra.update({"env": (env[0], env[1], tools), "tz": _tz(cc, rng), "ci": rng.random() < 0.3,
                        # some agent frameworks default max_tokens to the model's whole context
                        "max_tokens": rng.choice([1024, 2048, 4096, 8192, 16384, 32768] if rng.random() < 0.85 else [65536, 128000]),
                        "system": "You are an agent for " + rng.choice(["our internal tooling", "a support workflow", "my side project",
                                                                       "a data pipeline", "the ops team"]) + ". Use tools when needed."})
        return a
    for a, n in _fill_accounts(quota, rng, make, lambda a: lognorm_int(rng, 150, 0.9, 10, 3000)):
        name, dom, tools = a.extra["env"]
        done = 0
        while done < n:
            profile = "night" if (a.extra["ci"] and rng.random() < 0.4) else "business"
            t = world.clock.sample(rng, profile, a.extra["tz"], 0.3)
            sid = "run_" + hexid(rng, 10)
            task = rng.choice(["Check the status of order 4411 and tell me if it shipped.", "What's the weather in Paris and should I bring an umbrella?",
                               "Find the failing test and fix it.", "Summarize yesterday's error logs.", "Create an event for Friday 3pm with the team.",
                               synth_code(rng)])
            msgs = [{"role": "system", "content": a.extra["system"]}, {"role": "user", "content": task}]
            steps = rng.randint(1, 6)
            for s in range(steps + 1):
                if done >= n:
                    break
                req = {"messages": list(msgs), "tools": tools, "max_tokens": a.extra["max_tokens"]}
                if s < steps:
                    tool = rng.choice(tools)
                    cid = "call_" + hexid(rng, 24)
                    calls = [{"id": cid, "type": "function", "function": {"name": tool["function"]["name"],
                                                                          "arguments": json.dumps(fake_args(rng, tool))}}]
                    said = rng.choice(["Let me check that first.", "I'll look this up.", "Checking the current state.",
                                       "I need one more detail."]) if rng.random() < 0.4 else None
                    world.emit(rng, a, min(t, world.end_ms - 1), req, "agent", 40, tool_calls=calls, tool_text=said,
                               session=sid, model=_model_for(world, rng, t, "code", 0.2))
                    # the client replays exactly what the model returned, then the tool's real result
                    msgs.append({"role": "assistant", "content": said, "tool_calls": calls})
                    msgs.append({"role": "tool", "tool_call_id": cid, "content": tool_result(rng, dom)})
                else:
                    world.emit(rng, a, min(t, world.end_ms - 1), req, "agent", lognorm_int(rng, 600, 0.8, 20, 8000), session=sid,
                               model=_model_for(world, rng, t, "code", 0.2))
                done += 1
                t += int(rng.uniform(1.5, 20) * 1000)


# ---------------------------------------------------------------- early adopters of a new model

def early_adopter(world, quota, rng):
    def make():
        a = _chat_account(world, rng, "early_adopter")
        a.extra["cot"] = rng.random() < 0.35
        a.extra["coder"] = rng.random() < 0.5
        return a
    for a, n in _fill_accounts(quota, rng, make, lambda a: lognorm_int(rng, 60, 0.8, 5, 800)):
        pre = int(n * rng.uniform(0.1, 0.3))
        _emit_chat_sessions(world, rng, a, pre, adopt=0.0)
        # the release-day rush, then normal use mostly on the new model
        rush = int((n - pre) * rng.uniform(0.3, 0.6))
        tz = a.extra["tz"]
        lag = int(rng.uniform(0.2, 30) * MS_H)
        for t, sid, turn in _session_times(world, rng, rush, "flat", tz, first_ms=world.release_ms + lag):
            t = world.release_ms + lag + int((t - world.release_ms - lag) * 0.15)
            text, kind = _chat_first(world, rng, a)
            req = {"messages": [{"role": "user", "content": text}]}
            req.update(a.extra["settings"])
            world.emit(rng, a, min(t, world.end_ms - 1), req, kind, lognorm_int(rng, 600, 0.7, 30, 5000), model=world.model_new)
        _emit_chat_sessions(world, rng, a, n - pre - rush, first_ms=world.release_ms + lag, adopt=0.8)


# ---------------------------------------------------------------- researchers

def researcher(world, quota, rng):
    def make():
        asn, cc = rng.choice(UNIVERSITY)
        a = Account(world, rng, "researcher", email=rng.choice(["mit.edu", "stanford.edu", "berkeley.edu", "ox.ac.uk",
                                                                  "tum.de", "ens.fr", "tsinghua.edu.cn"]),
                    tier=rng.choice(["tier1", "tier2"]))
        a.client = Client(world.net, rng, "stable", asn=asn, cc=cc, uas=[pick_w(rng, SDK_UAS)], n_ips=2)
        a.extra.update({"tz": COUNTRY_TZ.get(cc, 0), "settings": rng.choice([{"temperature": 0.6, "top_p": 0.95, "max_tokens": 8192},
                                                                            {"temperature": 0}, {"temperature": 1.0}]),
                        "bench": rng.choice(["bbh", "math", "gsm"])})
        return a
    d = world.data
    for a, n in _fill_accounts(quota, rng, make, lambda a: lognorm_int(rng, 90, 0.8, 15, 600)):
        pool = {"bbh": d.bbh_flat, "math": [p for p, _ in d.math500], "gsm": d.gsm8k_test}[a.extra["bench"]] or [synth_logic(rng)]
        instr = rng.choice(["Explain your reasoning, then answer.", "Think step by step.", "Answer and justify briefly.",
                            "Give your reasoning before the final answer."])
        for _ in range(n):
            t = world.clock.sample(rng, "business", a.extra["tz"], 0.4)
            req = {"messages": [{"role": "user", "content": f"{rng.choice(pool)}\n\n{instr}"}]}
            req.update(a.extra["settings"])
            world.emit(rng, a, t, req, "reason", lognorm_int(rng, 650, 0.5, 60, 4000), model=_model_for(world, rng, t, "reason", 0.5))


POPULATIONS = {"chat": chat, "nat_company": nat_company, "eval_team": eval_team, "tutoring": tutoring,
               "app_backend": app_backend, "router": router, "agent_dev": agent_dev, "early_adopter": early_adopter,
               "researcher": researcher}
