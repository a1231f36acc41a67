"""Distillation campaign styles, written from issue 13 and the public 2026 reports.

Each style function receives the world, an exact number of exchanges to produce (quota)
and a random stream; it creates accounts labelled "campaign" and emits exactly quota
exchanges. Campaign accounts are written to blend in per account; what they share is the
work (item distribution, kind of answer, sampling settings, tool environments) and its timing.
"""

import json

from world import (RESIDENTIAL, MOBILE, uuidish, Account, Client, MS_D, MS_H, SDK_UAS, APP_UAS, pick_w, lognorm_int, hexid, split_quota,
                   derive, CLOUD, COMMON_MAIL)
from elicit import (elicit_prompt, Sweep, synth_reasoning, synth_coding, reasoning_sources, coding_sources,
                    make_env_pool, fabricated_trajectory, AGENT_TASKS, bank_for)
from content import chat_prompt

HOLD = "holdout"


def _schedule(world, rng, n_windows=(1, 3), hours=(2, 6), drift=False, groups=1, start_hours=None):
    """Per-day working windows shared by a campaign (or by each of its sub-teams)."""
    out = []
    for g in range(groups):
        days = []
        base = rng.randint(0, 23)
        for d in range(world.days + 1):
            ws = []
            for _ in range(rng.randint(*n_windows)):
                if start_hours:
                    h0 = rng.uniform(*start_hours) + len(ws) * rng.uniform(2, 5)
                else:
                    h0 = (base + d * 1 if drift else rng.randint(0, 23)) + rng.uniform(-1.5, 1.5) + len(ws) * 7
                s = world.start_ms + d * MS_D + int((h0 % 24) * MS_H)
                ws.append((s, s + int(rng.uniform(*hours) * MS_H)))
            days.append(ws)
        out.append(days)
    return out


def _plan_accounts(world, rng, quota, make_account, per_day, active_p=0.85):
    """Create accounts until their planned requests reach quota; returns [(acct, [(day, k)])]."""
    plans, total = [], 0
    guard = 0
    while total < quota and guard < 100000:
        guard += 1
        acct = make_account()
        first = max(acct.extra["created_ms"] + int(rng.uniform(0.1, 3) * MS_D), world.start_ms)
        d0 = int((first - world.start_ms) // MS_D)
        rate = per_day(acct)
        plan = []
        for d in range(d0, world.days):
            if rng.random() > active_p:
                continue
            k = max(1, int(round(rng.gauss(rate, rate * 0.2))))
            plan.append((d, k))
        if not plan:
            plan = [(world.days - 1, max(1, int(rate)))]
        n = sum(k for _, k in plan)
        if total + n > quota:
            # trim the last account to fill the quota exactly
            left = quota - total
            trimmed = []
            for d, k in plan:
                if left <= 0:
                    break
                trimmed.append((d, min(k, left)))
                left -= min(k, left)
            plan = trimmed
            n = sum(k for _, k in plan)
        plans.append((acct, plan))
        total += n
    return plans


def _times(world, rng, plan, windows, flat_p=0.0):
    ts = []
    for d, k in plan:
        ws = windows[min(d, len(windows) - 1)]
        for _ in range(k):
            if rng.random() < flat_p:
                t = world.start_ms + d * MS_D + rng.randrange(MS_D)
            else:
                t = world.clock.sample_windows(rng, ws)
            ts.append(min(max(t, world.start_ms), world.end_ms - 1))
    ts.sort()
    return ts


def _signup(world, rng, spread_days=35, aged_p=0.2, late=0.5):
    if rng.random() < aged_p:
        return world.start_ms - int(rng.uniform(150, 700) * MS_D)
    return world.start_ms - int(rng.uniform(-world.days * late, spread_days) * MS_D)


def _settings(rng, variant, kind):
    if variant == HOLD:
        cfgs = {"reason": [{"temperature": 0.8, "top_p": 0.9, "max_tokens": 12000},
                           {"temperature": 0.75, "max_tokens": 16000}],
                "code": [{"temperature": 0.3, "max_tokens": 10000}, {"temperature": 0.35, "top_p": 0.9, "max_tokens": 10000}]}
    else:
        cfgs = {"reason": [{"temperature": 0.6, "top_p": 0.95, "max_tokens": 8192},
                           {"temperature": 0.7, "top_p": 0.95, "max_tokens": 8192}],
                "code": [{"temperature": 0.2, "top_p": 0.95, "max_tokens": 6144}, {"temperature": 0.2, "max_tokens": 8192}]}
    return cfgs[kind]


def _elicit_request(world, rng, bank, item, lang, code, cfg, system_p, user_id=None):
    kind, text = item
    prompt = elicit_prompt(rng, bank, text, lang, code=(kind == "code") or code)
    msgs = []
    if rng.random() < system_p:
        msgs.append({"role": "system", "content": rng.choice(bank.ELICIT_SYSTEM)})
    msgs.append({"role": "user", "content": prompt})
    req = {"messages": msgs}
    req.update(cfg)
    if user_id:
        req["user"] = user_id
    if rng.random() < 0.15:
        req["stream"] = True
    return req, ("code" if kind == "code" else "reason")


# ---------------------------------------------------------------- low and slow

def low_and_slow(world, quota, rng):
    v = world.variant
    bank = bank_for(v)
    n_c = 2 if quota >= 400 else 1
    quotas = split_quota(rng, quota, [0.6, 0.4][:n_c])
    for ci, q in enumerate(quotas):
        cid = f"camp_lowslow_{ci + 1}"
        code = ci == 1
        sweep = (Sweep(rng, coding_sources(world.data, rng), synth_coding, 0.35) if code
                 else Sweep(rng, reasoning_sources(world.data, rng), synth_reasoning, 0.25))
        # the US-targeted campaign works in US daytime (14:00-02:00 UTC), like the users it imitates
        windows = _schedule(world, rng, n_windows=(2, 3), hours=(2.5, 5), drift=(v == HOLD), groups=(3 if v == HOLD else 1),
                            start_hours=((14, 19) if ci == 0 else None))
        uas = [pick_w(rng, SDK_UAS) for _ in range(6)]
        countries = ["US"] if ci == 0 else ["US", "GB", "DE", "CA", "IN", "BR", "FR", "JP"]
        langs = ["en"] * 8 + (["es", "de", "fr"] if ci == 1 else ["zh", "es"])
        cfgs = _settings(rng, v, "code" if code else "reason")

        def make():
            a = Account(world, rng, "campaign", "campaign", "low_and_slow", cid,
                        created_ms=_signup(world, rng, 42, 0.2), tier=rng.choice(["free", "tier1", "tier1", "tier2"]))
            # ISP targeting for the single-country campaign: a few residential/mobile ASNs per account
            asns = rng.sample([x for x in RESIDENTIAL + MOBILE if x[1] in countries], 2) if ci == 0 else None
            a.client = Client(world.net, rng, "proxy", uas=rng.sample(uas, rng.randint(1, 3)), countries=countries,
                              asns=asns, ua_noise=(0.0 if ci == 0 else 0.02))
            a.extra["aged"] = a.extra["created_ms"] < world.start_ms - 100 * MS_D
            a.extra["users"] = rng.random() < 0.25
            a.extra["sub"] = rng.randrange(len(windows))
            return a
        plans = _plan_accounts(world, rng, q, make, lambda a: rng.uniform(10, 20), active_p=0.8)
        for acct, plan in plans:
            ts = _times(world, rng, plan, windows[acct.extra["sub"]], flat_p=0.1)
            for t in ts:
                if acct.extra["aged"] and rng.random() < 0.1:
                    # cover traffic from an aged account: an ordinary chat request
                    req = {"messages": [{"role": "user", "content": chat_prompt(rng)}]}
                    world.emit(rng, acct, t, req, "chat", lognorm_int(rng, 250, 0.6, 20, 1500), model=world.models_old[0])
                    continue
                user = uuidish(rng) if acct.extra["users"] else None
                req, kind = _elicit_request(world, rng, bank, sweep.next(), rng.choice(langs), code,
                                            rng.choice(cfgs), 0.3, user)
                if acct.extra.get("last") and rng.random() < 0.12:
                    # harvest a second, different solution of the previous item (self-consistency data)
                    prev_req, prev_text = acct.extra["last"]
                    req = dict(prev_req)
                    req["messages"] = prev_req["messages"] + [
                        {"role": "assistant", "content": prev_text},
                        {"role": "user", "content": rng.choice(bank.VERIFY)}]
                model = world.models_old[2] if code else world.models_old[1]
                if t >= world.release_ms and rng.random() < 0.3:
                    model = world.model_new
                world.emit(rng, acct, t, req, kind, lognorm_int(rng, 900, 0.5, 200, 7000), model=model)
                acct.extra["last"] = (req, world.last_text)


# ---------------------------------------------------------------- paraphrased elicitation

def paraphrase_cot(world, quota, rng):
    v = world.variant
    bank = bank_for(v)
    n_c = 2 if quota >= 300 else 1
    quotas = split_quota(rng, quota, [0.55, 0.45][:n_c])
    lang_sets = bank.CAMPAIGN_LANGS if hasattr(bank, "CAMPAIGN_LANGS") else [["en", "zh", "ru", "es"], ["en", "ko", "ja", "de", "fr", "pt"]]
    for ci, q in enumerate(quotas):
        cid = f"camp_paraphrase_{ci + 1}"
        sweep = Sweep(rng, reasoning_sources(world.data, rng), synth_reasoning, 0.15)
        windows = _schedule(world, rng, n_windows=(1, 2), hours=(5, 9), drift=(v == HOLD))
        langs = lang_sets[ci % len(lang_sets)]
        cfg = ({"temperature": 0.7, "top_p": 0.9, "max_tokens": 16384} if v != HOLD
               else {"temperature": 0.65, "max_tokens": 20000})

        def make():
            a = Account(world, rng, "campaign", "campaign", "paraphrase_cot", cid,
                        created_ms=_signup(world, rng, 25, 0.1), tier=rng.choice(["free", "tier1"]))
            # behind commercial VPN exits that ordinary users share too
            a.client = Client(world.net, rng, "vpn", uas=[pick_w(rng, SDK_UAS + APP_UAS)])
            a.extra["lang"] = rng.choice(langs)
            return a
        plans = _plan_accounts(world, rng, q, make, lambda a: rng.uniform(15, 40), active_p=0.85)
        for acct, plan in plans:
            for t in _times(world, rng, plan, windows[0]):
                lang = acct.extra["lang"] if rng.random() < 0.6 else rng.choice(langs)
                req, kind = _elicit_request(world, rng, bank, sweep.next(), lang, False, dict(cfg), 0.45)
                world.emit(rng, acct, t, req, kind, lognorm_int(rng, 850, 0.45, 200, 9000), lang=lang,
                           model=world.models_old[1] if t < world.release_ms or rng.random() < 0.5 else world.model_new)


# ---------------------------------------------------------------- reseller mixing

def reseller_mixing(world, quota, rng):
    from populations import router_account
    v = world.variant
    bank = bank_for(v)
    n_r = 2 if quota >= 600 else 1
    cid = "camp_reseller_1"
    sweep = Sweep(rng, reasoning_sources(world.data, rng) + coding_sources(world.data, rng), synth_reasoning, 0.1)
    for q in split_quota(rng, quota, [0.55, 0.45][:n_r]):
        share = rng.uniform(0.12, 0.2)
        sys_prompt = rng.choice(bank.ELICIT_SYSTEM) + rng.choice(["", " Use clear numbered steps.", " Be exhaustive."])
        users = ["eu_" + hexid(rng, 10) for _ in range(rng.randint(2, 4))]
        cfg = rng.choice(_settings(rng, v, "reason"))

        def stream_request(r, t):
            kind, text = sweep.next()
            prompt = elicit_prompt(r, bank, text, r.choice(["en", "en", "en", "zh"]), code=(kind == "code"))
            req = {"messages": [{"role": "system", "content": sys_prompt}, {"role": "user", "content": prompt}],
                   "user": r.choice(users)}
            req.update(cfg)
            return req, ("code" if kind == "code" else "reason"), lognorm_int(r, 900, 0.45, 200, 8000)
        stream = {"share": share, "users": users, "system": sys_prompt, "campaign_id": cid,
                  "request": stream_request, "profile": "flat"}
        router_account(world, q, rng, stream=stream, label=("campaign", "reseller_mixing", cid))


# ---------------------------------------------------------------- agentic harvesting

def agentic(world, quota, rng):
    v = world.variant
    bank = bank_for(v)
    domains = bank.ENV_DOMAINS if hasattr(bank, "ENV_DOMAINS") else __import__("elicit").ENV_DOMAINS_DEV
    tasks = bank.AGENT_TASKS if hasattr(bank, "AGENT_TASKS") else AGENT_TASKS
    n_c = 2 if quota >= 500 else 1
    for ci, q in enumerate(split_quota(rng, quota, [0.6, 0.4][:n_c])):
        cid = f"camp_agentic_{ci + 1}"
        pool = make_env_pool(rng, rng.randint(25, 45), domains, prefix_style=(ci == 1))
        windows = _schedule(world, rng, n_windows=(2, 3), hours=(3, 7), drift=(v == HOLD))
        code_sweep = Sweep(rng, coding_sources(world.data, rng), synth_coding, 0.3)
        big = [32768, 65536, 100000, 128000] if v != HOLD else [40000, 64000, 96000]

        def make():
            a = Account(world, rng, "campaign", "campaign", "agentic", cid, created_ms=_signup(world, rng, 30, 0.15),
                        tier=rng.choice(["tier1", "tier2", "tier1"]))
            kind = rng.choice(["proxy", "proxy_dc"])
            asns = rng.sample(RESIDENTIAL + MOBILE, 3) if kind == "proxy" else rng.sample(CLOUD, 2)
            a.client = Client(world.net, rng, kind, uas=[pick_w(rng, SDK_UAS) for _ in range(rng.randint(1, 2))], asns=asns)
            return a
        plans = _plan_accounts(world, rng, q, make, lambda a: rng.uniform(20, 50), active_p=0.85)
        for acct, plan in plans:
            for t in _times(world, rng, plan, windows[0], flat_p=0.15):
                env = rng.choice(pool)
                name, dom, tools = env
                if dom == "repo" and rng.random() < 0.6:
                    task = "In this repository: " + code_sweep.next()[1]
                else:
                    task = rng.choice(tasks.get(dom) or tasks["repo"])
                tl = list(tools)
                rng.shuffle(tl)
                msgs = [{"role": "system", "content": rng.choice(bank.AGENT_SYSTEM)}]
                msgs += fabricated_trajectory(rng, env, task, rng.randint(0, 6))
                if rng.random() < 0.5:
                    msgs.append({"role": "user", "content": rng.choice(bank.AGENT_CONTINUE)})
                req = {"messages": msgs, "tools": tl, "max_tokens": rng.choice(big)}
                if rng.random() < 0.5:
                    req["tool_choice"] = "auto"
                if rng.random() < 0.4:
                    req["temperature"] = 1.0
                world.emit(rng, acct, t, req, "agent", lognorm_int(rng, 1500, 0.6, 200, 20000),
                           model=world.models_old[2])


# ---------------------------------------------------------------- hydra clusters (blunt)

def hydra(world, quota, rng):
    n_c = 2 if quota >= 3000 else 1
    for ci, q in enumerate(split_quota(rng, quota, [0.5, 0.5][:n_c])):
        cid = f"camp_hydra_{ci + 1}"
        burst = world.start_ms - int(rng.uniform(-2, 12) * MS_D)
        cards = ["pf_" + hexid(rng, 12) for _ in range(rng.randint(3, 6))]
        domain = rng.choice(["mailnest.io", "quickbox.cc", "inboxkit.net", "gmail.com"])
        asn, cc = rng.choice(CLOUD)
        sub = rng.randint(0, 255)
        ua = rng.choice(["python-requests/2.31.0", "python-httpx/0.25.1", "aiohttp/3.9.1"])
        template = rng.choice(["Solve the following problem. Show all of your reasoning step by step, then give the final answer.\n\n{q}",
                               "Question: {q}\nAnswer with a detailed step-by-step explanation."])
        sweep = Sweep(rng, reasoning_sources(world.data, rng) + coding_sources(world.data, rng), synth_reasoning, 0.1)
        logprobs = ci == 1

        def make():
            a = Account(world, rng, "campaign", "campaign", "hydra", cid, created_ms=burst + int(rng.uniform(0, 2) * MS_D),
                        email=domain, pf=rng.choice(cards), tier="tier1")
            ips = [(world.net.subnet_ip(rng, asn, sub), asn, cc) for _ in range(2)]
            a.client = Client(world.net, rng, "datacenter", uas=[ua], fixed_ips=ips)
            return a
        plans = _plan_accounts(world, rng, q, make, lambda a: rng.uniform(35, 80), active_p=0.95)
        for acct, plan in plans:
            ts = []
            for d, k in plan:
                ts += [world.start_ms + d * MS_D + rng.randrange(MS_D) for _ in range(k)]
            for t in sorted(ts):
                if t < max(world.start_ms, acct.extra["created_ms"]):
                    t = max(world.start_ms, acct.extra["created_ms"]) + rng.randrange(MS_H)
                req = {"messages": [{"role": "user", "content": template.format(q=sweep.next()[1])}],
                       "temperature": 1.0, "max_tokens": 4096}
                if logprobs:
                    req["logprobs"] = True
                    req["top_logprobs"] = 5
                world.emit(rng, acct, min(t, world.end_ms - 1), req, "reason", lognorm_int(rng, 600, 0.4, 150, 4096),
                           model=world.models_old[1])


# ---------------------------------------------------------------- rubric / reward-model harvesting

def rubric(world, quota, rng):
    v = world.variant
    bank = bank_for(v)
    cid = "camp_rubric_1"
    windows = _schedule(world, rng, n_windows=(1, 2), hours=(4, 8), drift=(v == HOLD))
    qpool = world.data.chat_pool or [chat_prompt(rng) for _ in range(300)]

    def make():
        a = Account(world, rng, "campaign", "campaign", "rubric", cid, created_ms=_signup(world, rng, 40, 0.2),
                    tier=rng.choice(["tier1", "tier2"]))
        asn, cc = rng.choice(CLOUD)
        a.client = Client(world.net, rng, "datacenter", asn=asn, cc=cc, uas=[pick_w(rng, SDK_UAS)], n_ips=2)
        return a
    plans = _plan_accounts(world, rng, quota, make, lambda a: rng.uniform(15, 35), active_p=0.85)
    for acct, plan in plans:
        for t in _times(world, rng, plan, windows[0]):
            q = rng.choice(qpool)
            cand = world.text.text(rng, "chat", rng.randint(60, 300))
            if rng.random() < 0.65:
                crit = ", ".join(rng.sample(bank.RUBRIC_ITEMS, rng.randint(2, 5)))
                ask = rng.choice(bank.RUBRIC_ASK)
                body = rng.choice([f"{ask}\nCriteria: {crit}\n\n[Question]\n{q}\n\n[Response]\n{cand}",
                                   f"[Question]\n{q}\n\n[Response]\n{cand}\n\n{ask} Criteria: {crit}.",
                                   f"Criteria: {crit}\n{ask}\n\nQuestion: {q}\nCandidate answer: {cand}"])
            else:
                cand2 = world.text.text(rng, "chat", rng.randint(60, 300))
                body = f"{rng.choice(bank.PAIRWISE_ASK)}\n\nQuestion: {q}\n\n[A]\n{cand}\n\n[B]\n{cand2}"
            msgs = []
            if rng.random() < 0.5:
                msgs.append({"role": "system", "content": rng.choice(["You are an impartial judge.", "You are a careful evaluator.",
                                                                        "You grade AI responses.", "You are a reward model."])})
            msgs.append({"role": "user", "content": body})
            req = {"messages": msgs, "temperature": rng.choice([0.0, 0.3, 0.7]), "max_tokens": 2048}
            world.emit(rng, acct, t, req, "judge", lognorm_int(rng, 500, 0.4, 120, 2000), model=world.models_old[1])


# ---------------------------------------------------------------- release pivot

def release_pivot(world, quota, rng):
    v = world.variant
    bank = bank_for(v)
    cid = "camp_pivot_1"
    sweep = Sweep(rng, reasoning_sources(world.data, rng) + coding_sources(world.data, rng), synth_reasoning, 0.2)
    cfg = rng.choice(_settings(rng, v, "reason"))
    lag = int(rng.uniform(0.5, 5) * MS_H)

    def make():
        a = Account(world, rng, "campaign", "campaign", "release_pivot", cid,
                    created_ms=world.start_ms - int(rng.uniform(60, 500) * MS_D), tier=rng.choice(["tier1", "tier2", "tier3"]))
        cc = rng.choice(["US", "US", "GB", "DE", "JP"])
        a.client = Client(world.net, rng, "proxy", uas=[pick_w(rng, SDK_UAS) for _ in range(2)], countries=[cc])
        return a
    n_acc = max(3, quota // 250)
    accts = [make() for _ in range(n_acc)]
    for acct, q in zip(accts, split_quota(rng, quota, [rng.uniform(0.6, 1.4) for _ in accts])):
        pre = int(q * rng.uniform(0.04, 0.1))
        tz = rng.choice([-5, 1, 8])
        for _ in range(pre):
            t = world.clock.sample(rng, "consumer", tz)
            if t >= world.release_ms:
                t = world.start_ms + rng.randrange(world.release_ms - world.start_ms)
            req = {"messages": [{"role": "user", "content": chat_prompt(rng)}]}
            world.emit(rng, acct, t, req, "chat", lognorm_int(rng, 250, 0.6, 20, 1500), model=world.models_old[0])
        span = world.end_ms - world.release_ms - lag
        for _ in range(q - pre):
            # a ramp: most of the harvest lands in the first days after the release
            t = world.release_ms + lag + int(span * (rng.random() ** 1.6))
            req, kind = _elicit_request(world, rng, bank, sweep.next(), "en", False, dict(cfg), 0.3)
            world.emit(rng, acct, min(t, world.end_ms - 1), req, kind, lognorm_int(rng, 900, 0.5, 200, 8000),
                       model=world.model_new)


STYLES = {"low_and_slow": low_and_slow, "paraphrase_cot": paraphrase_cot, "reseller_mixing": reseller_mixing,
          "agentic": agentic, "hydra": hydra, "rubric": rubric, "release_pivot": release_pivot}
