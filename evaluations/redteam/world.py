"""The shared world of the generator: clock and calendar, network infrastructure (ASNs,
IP prefixes, proxy and VPN exits), client user agents, accounts, synthetic answer text,
and the emitter that turns one request into one exchange-log line.

Everything is deterministic given the seed: every random stream is derived from
(seed, name) with SHA-256, never from Python's salted hash().
"""

import bisect
import hashlib
import json
import math
import random
from datetime import datetime, timezone, timedelta

from content import (REASON_SENT, REASON_END, CHAT_SENT, CODE_LINES, CODE_PROSE, OTHER_LEAD)

MS_H = 3_600_000
MS_D = 24 * MS_H


def derive(seed, *names) -> random.Random:
    h = hashlib.sha256(("|".join([str(seed)] + [str(n) for n in names])).encode()).digest()
    return random.Random(int.from_bytes(h[:8], "big"))


def hexid(rng: random.Random, n: int) -> str:
    return "%0*x" % (n, rng.getrandbits(4 * n))


def uuidish(rng: random.Random) -> str:
    h = hexid(rng, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{h[16:20]}-{h[20:]}"


def iso_ms(ms: int) -> str:
    d = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)


def iso_s(ms: int) -> str:
    return datetime.fromtimestamp(ms // 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- network

# Real AS numbers with the country they mostly serve; the IP prefixes given to them below are
# invented per seed (they do not match real allocations).
RESIDENTIAL = [(7922, "US"), (701, "US"), (7018, "US"), (20115, "US"), (22773, "US"), (812, "CA"),
               (3320, "DE"), (3215, "FR"), (2856, "GB"), (3352, "ES"), (3269, "IT"), (4134, "CN"),
               (4837, "CN"), (12389, "RU"), (28573, "BR"), (24560, "IN"), (2516, "JP"), (4713, "JP"),
               (4766, "KR"), (7552, "VN"), (7713, "ID"), (9121, "TR"), (5617, "PL"), (8151, "MX"),
               (1136, "NL"), (6830, "AT"), (9299, "PH"), (4804, "AU")]
MOBILE = [(21928, "US"), (22394, "US"), (55836, "IN"), (12576, "GB"), (3209, "DE"), (26599, "BR"),
          (9644, "KR"), (17676, "JP"), (9808, "CN"), (8359, "RU"), (51207, "FR")]
CLOUD = [(16509, "US"), (14618, "US"), (15169, "US"), (396982, "US"), (8075, "US"), (14061, "US"),
         (24940, "DE"), (16276, "FR"), (63949, "US"), (20473, "US"), (45102, "CN"), (132203, "CN"),
         (31898, "US"), (16509, "IE"), (16509, "SG")]
VPN = [(9009, "GB"), (60068, "NL"), (136787, "US"), (39351, "SE"), (51852, "CH"), (62240, "US"),
       (9009, "US"), (9009, "DE"), (60068, "JP"), (212238, "SG")]
RELAY = [(13335, "US"), (36183, "US"), (54113, "US")]
UNIVERSITY = [(3, "US"), (32, "US"), (25, "US"), (786, "GB"), (680, "DE"), (2200, "FR"), (4538, "CN")]
BUSINESS = [(3356, "US"), (174, "US"), (6461, "US"), (1299, "SE"), (3257, "DE"), (2914, "JP"), (6453, "IN")]

COUNTRY_TZ = {"US": -6, "CA": -5, "DE": 1, "FR": 1, "GB": 0, "ES": 1, "IT": 1, "CN": 8, "RU": 3, "BR": -3,
              "IN": 5.5, "JP": 9, "KR": 9, "VN": 7, "ID": 7, "TR": 3, "PL": 1, "MX": -6, "NL": 1, "AT": 1,
              "PH": 8, "AU": 10, "IE": 0, "SG": 8, "SE": 1, "CH": 1}
COUNTRY_LANG = {"CN": "zh", "ES": "es", "MX": "es", "FR": "fr", "DE": "de", "AT": "de", "RU": "ru",
                "BR": "pt", "JP": "ja", "KR": "ko"}


class Net:
    """Per-seed IP prefixes for every AS, and address sampling within them."""

    def __init__(self, seed):
        rng = derive(seed, "net")
        self.prefixes = {}
        used = set()
        for asn, _ in RESIDENTIAL + MOBILE + CLOUD + VPN + UNIVERSITY + BUSINESS + RELAY:
            if asn in self.prefixes:
                continue
            ps = []
            for _ in range(rng.randint(2, 5)):
                while True:
                    a = rng.choice([x for x in range(1, 224) if x not in (10, 100, 127, 169, 172, 192, 198, 203)])
                    b = rng.randint(0, 255)
                    if (a, b) not in used:
                        used.add((a, b))
                        ps.append((a, b))
                        break
            self.prefixes[asn] = ps
        # A commercial VPN's exits are a small fixed set of addresses shared by all its customers.
        self.vpn_exits = []
        for asn, cc in VPN:
            for _ in range(8):
                self.vpn_exits.append((self.ip(rng, asn), asn, cc))

    def ip(self, rng, asn) -> str:
        a, b = rng.choice(self.prefixes[asn])
        return f"{a}.{b}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"

    def subnet_ip(self, rng, asn, c) -> str:
        a, b = self.prefixes[asn][0]
        return f"{a}.{b}.{c}.{rng.randint(1, 254)}"


# ---------------------------------------------------------------- user agents

SDK_UAS = [("openai-python/1.54.4", 8), ("openai-python/1.55.3", 10), ("openai-python/1.57.0", 9),
           ("OpenAI/Python 1.56.2", 6), ("openai-node/4.73.1", 6), ("OpenAI/NodeJS/4.76.0", 5),
           ("python-requests/2.32.3", 5), ("python-httpx/0.27.2", 4), ("axios/1.7.9", 3), ("curl/8.5.0", 2),
           ("Go-http-client/2.0", 2), ("langchain-openai/0.2.10", 3), ("litellm/1.55.0", 3),
           ("okhttp/4.12.0", 2), ("Dart/3.5 (dart:io)", 1)]
APP_UAS = [("OpenWebUI/0.4.8", 3), ("LibreChat/0.7.5", 2), ("TypingMind/2.1", 2), ("ChatBox/1.9.1", 2),
           ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", 4),
           ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", 5),
           ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148", 3),
           ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", 2)]
ALL_UAS = SDK_UAS + APP_UAS


def pick_w(rng, pairs):
    tot = sum(w for _, w in pairs)
    r = rng.random() * tot
    for v, w in pairs:
        r -= w
        if r <= 0:
            return v
    return pairs[-1][0]


# ---------------------------------------------------------------- clients (where requests come from)

class Client:
    """Chooses (ip, asn, country, user agent) for each request of one account or stream."""

    def __init__(self, net, rng, kind, asn=None, cc=None, uas=None, n_ips=1, countries=None, fixed_ips=None,
                 asns=None, ua_noise=0.0):
        self.net, self.kind, self.asn, self.cc = net, kind, asn, cc
        self.asns = asns            # proxy: ISP targeting (a few residential ASNs only)
        self.ua_noise = ua_noise    # proxy: chance of a random user agent per request
        self.uas = uas or [pick_w(rng, SDK_UAS)]
        self.countries = countries
        if fixed_ips is not None:
            self.ips = fixed_ips
        elif kind in ("stable", "datacenter", "nat"):
            self.ips = [(net.ip(rng, asn), asn, cc) for _ in range(n_ips)]
        else:
            self.ips = []
        self.mobile_ip = None
        self.home = None

    def pick(self, rng, t_ms):
        ua = self.uas[0] if len(self.uas) == 1 else (self.uas[-1] if rng.random() < 0.6 else rng.choice(self.uas))
        k = self.kind
        if k in ("stable", "datacenter", "nat"):
            ip = self.ips[0] if (len(self.ips) == 1 or rng.random() < 0.7) else rng.choice(self.ips)
            return ip[0], ip[1], ip[2], ua
        if k == "mobile":
            # carrier-grade NAT: the address changes often but stays in one carrier.
            if self.mobile_ip is None or rng.random() < 0.6:
                self.mobile_ip = self.net.ip(rng, self.asn)
            return self.mobile_ip, self.asn, self.cc, ua
        if k in ("vpn", "vpn_or_home") and not self.ips:
            # one VPN provider per customer; its exits are shared with everyone else on it
            prov = rng.choice(sorted({x[1] for x in self.net.vpn_exits}))
            self.ips = [x for x in self.net.vpn_exits if x[1] == prov]
        if k == "vpn":
            ip, asn, cc = rng.choice(self.ips)
            return ip, asn, cc, ua
        if k == "vpn_or_home":
            if rng.random() < 0.55:
                ip, asn, cc = rng.choice(self.ips)
                return ip, asn, cc, ua
            return self.home[0], self.home[1], self.home[2], ua
        if k == "proxy":
            # residential/mobile proxy network: a fresh exit for every request.
            pool = self.asns or [x for x in RESIDENTIAL + MOBILE if self.countries is None or x[1] in self.countries]
            asn, cc = rng.choice(pool)
            ua = rng.choice(self.uas) if rng.random() >= self.ua_noise else pick_w(rng, ALL_UAS)
            return self.net.ip(rng, asn), asn, cc, ua
        if k == "relay":
            # privacy relay / rotating egress (e.g. a phone's private relay): CDN address space, new IP often
            if self.mobile_ip is None or rng.random() < 0.8:
                asn = rng.choice(RELAY)[0]
                self.mobile_ip = (self.net.ip(rng, asn), asn)
            return self.mobile_ip[0], self.mobile_ip[1], self.cc, ua
        if k == "proxy_dc":
            asn, cc = rng.choice(self.asns or (CLOUD + VPN))
            return self.net.ip(rng, asn), asn, cc, rng.choice(self.uas)
        raise ValueError(k)


# ---------------------------------------------------------------- accounts

COMMON_MAIL = [("gmail.com", 45), ("outlook.com", 12), ("hotmail.com", 6), ("yahoo.com", 6), ("icloud.com", 5),
               ("qq.com", 5), ("163.com", 3), ("proton.me", 3), ("yandex.ru", 2), ("gmx.de", 2), ("naver.com", 2),
               ("mail.ru", 2), ("web.de", 1), ("orange.fr", 1), ("live.com", 2)]


class Account:
    __slots__ = ("id", "keys", "meta", "label", "style", "population", "campaign_id", "streams", "client",
                 "n", "extra")

    def __init__(self, world, rng, population, label="legit", style=None, campaign_id=None,
                 created_ms=None, email=None, tier="tier1", pf=None, n_keys=1):
        self.id = "acct_" + hexid(world.id_rng, 10)
        self.keys = ["key_" + hexid(world.id_rng, 8) for _ in range(n_keys)]
        if created_ms is None:
            created_ms = world.start_ms - int(rng.uniform(20, 500) * MS_D)
        created_ms = (created_ms // 1000) * 1000
        self.meta = {"created": iso_s(created_ms),
                     "payment_fingerprint": pf if pf is not None else ("pf_" + hexid(world.id_rng, 12)),
                     "email_domain": email or pick_w(rng, COMMON_MAIL),
                     "tier": tier}
        if self.meta["payment_fingerprint"] == "":
            self.meta["payment_fingerprint"] = None
        self.label, self.style, self.population, self.campaign_id = label, style, population, campaign_id
        self.streams = None
        self.client = None
        self.n = 0
        self.extra = {"created_ms": created_ms}
        world.accounts.append(self)

    def label_record(self):
        r = {"account": self.id, "label": self.label, "style": self.style, "population": self.population,
             "campaign_id": self.campaign_id, "exchanges": self.n}
        if self.streams:
            r["mixed"] = True
            r["streams"] = self.streams
        return r


# ---------------------------------------------------------------- time

DIURNAL = {
    # relative activity per local hour 0..23
    "consumer": [2, 1, .6, .4, .3, .4, 1, 2, 3, 4, 5, 5.5, 5, 5, 5, 5, 5, 5.5, 6, 7, 7.5, 7, 5.5, 3.5],
    "business": [.2, .1, .1, .1, .1, .2, .6, 2, 6, 9, 10, 9, 7, 9, 10, 9.5, 8, 5, 2.5, 1.5, 1, .8, .5, .3],
    "school": [.5, .2, .1, .1, .1, .2, .6, 2, 2.5, 2.5, 2.5, 2.5, 3, 3, 4, 7, 9, 10, 10, 10, 9, 7, 4, 1.5],
    "flat": [1] * 24,
    "night": [5, 6, 6, 5, 4, 3, 2, 1, .6, .5, .5, .6, .8, 1, 1.2, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5],
}


class Clock:
    def __init__(self, start_ms, days):
        self.start_ms, self.days = start_ms, days
        self.end_ms = start_ms + days * MS_D
        self._cache = {}

    def weekday(self, ms):
        return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).weekday()

    def profile_cdf(self, profile, tz, weekend=0.6, first_ms=None):
        key = (profile, tz, weekend, first_ms)
        c = self._cache.get(key)
        if c is not None:
            return c
        prof = DIURNAL[profile]
        acc, cdf = 0.0, []
        nh = self.days * 24
        for h in range(nh):
            ms = self.start_ms + h * MS_H
            if first_ms is not None and ms + MS_H <= first_ms:
                cdf.append(acc)
                continue
            local = ms + int(tz * MS_H)
            lh = (local // MS_H) % 24
            wd = datetime.fromtimestamp(local / 1000, tz=timezone.utc).weekday()
            w = prof[lh] * (weekend if wd >= 5 else 1.0)
            acc += w
            cdf.append(acc)
        c = (cdf, acc)
        self._cache[key] = c
        return c

    def sample(self, rng, profile, tz, weekend=0.6, first_ms=None):
        cdf, tot = self.profile_cdf(profile, tz, weekend, first_ms)
        h = bisect.bisect_left(cdf, rng.random() * tot)
        ms = self.start_ms + min(h, len(cdf) - 1) * MS_H + rng.randrange(MS_H)
        if first_ms is not None and ms < first_ms:
            ms = first_ms + rng.randrange(MS_H)
        return min(ms, self.end_ms - 1)

    def sample_windows(self, rng, windows):
        """Uniform over a union of [start, end) windows (list of pairs)."""
        tot = sum(e - s for s, e in windows)
        r = rng.random() * tot
        for s, e in windows:
            if r < e - s:
                return min(s + int(r), self.end_ms - 1)
            r -= e - s
        return windows[-1][1] - 1


# ---------------------------------------------------------------- synthetic answers

class TextSynth:
    """Builds answer text of a requested token length from red-team sentence material."""

    def __init__(self, seed, scale):
        rng = derive(seed, "text")
        self.scale = scale

        def fill(t):
            a, b = rng.randint(2, 99), rng.randint(2, 40)
            return t.format(a=a, b=b, c=a * b, d=a * b - b, e=round(a * b / max(b, 1), 2), f=a + b,
                            k=rng.randint(1, 9), q=rng.choice(["the total", "the unknown", "the remainder", "x"]),
                            l=rng.choice("ABCDE"))
        self.reason = [fill(rng.choice(REASON_SENT)) for _ in range(3000)]
        self.reason_end = [fill(rng.choice(REASON_END)) for _ in range(300)]
        self.chat = CHAT_SENT
        self.code = CODE_LINES
        self.code_prose = CODE_PROSE

    def text(self, rng, kind, tokens, lang="en"):
        chars = int(tokens * 4 * self.scale)
        if chars <= 0:
            return ""
        parts, n = [], 0
        if kind in ("reason", "tutor", "eval_cot"):
            if lang != "en" and lang in OTHER_LEAD:
                parts.append(OTHER_LEAD[lang])
            k = 1
            while n < chars:
                s = rng.choice(self.reason)
                if kind == "tutor" and rng.random() < 0.3:
                    s = f"Step {k}: " + s
                    k += 1
                parts.append(s)
                n += len(s) + 1
            parts.append(rng.choice(self.reason_end))
            return " ".join(parts)
        if kind == "code" or kind == "agent":
            parts.append(rng.choice(self.code_prose))
            parts.append("```python")
            while n < chars:
                s = rng.choice(self.code) if rng.random() < 0.8 else "# " + rng.choice(self.code_prose)
                parts.append(s)
                n += len(s) + 1
            parts.append("```")
            return "\n".join(parts)
        if kind == "label":
            return rng.choice(["positive", "negative", "neutral", "Positive", "Negative"])
        if kind == "json":
            return json.dumps({"vendor": rng.choice(["Acme Supplies", "Nordwind GmbH", "Blue Finch Ltd"]),
                               "date": "2026-%02d-%02d" % (rng.randint(1, 11), rng.randint(1, 28)),
                               "total": round(rng.uniform(10, 4000), 2)})
        if kind == "judge":
            body = []
            while n < chars:
                s = rng.choice(self.reason)
                body.append(s)
                n += len(s) + 1
            scores = {k: rng.randint(3, 10) for k in ("correctness", "helpfulness", "clarity")}
            return " ".join(body) + "\n" + json.dumps({"scores": scores, "overall": rng.randint(3, 10)})
        # prose / chat
        while n < chars:
            s = rng.choice(self.chat)
            parts.append(s)
            n += len(s) + 1
        return " ".join(parts)


def approx_tokens(s: str) -> int:
    if not s:
        return 0
    non_ascii = sum(1 for ch in s[:2000] if ord(ch) > 127)
    frac = non_ascii / min(len(s), 2000)
    return max(1, int(len(s) * (frac * 0.9 + (1 - frac) * 0.26)))


def lognorm_int(rng, median, sigma, lo, hi):
    return max(lo, min(hi, int(median * math.exp(rng.gauss(0, sigma)))))


def split_quota(rng, total, weights):
    """Integer split of total proportional to weights (largest remainder, deterministic)."""
    s = sum(weights)
    if s <= 0 or total <= 0:
        return [0] * len(weights)
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    rem = total - sum(out)
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - out[i], rng.random()), reverse=True)
    for i in order[:rem]:
        out[i] += 1
    return out


# ---------------------------------------------------------------- the world and its emitter

class World:
    def __init__(self, seed, variant, start_ms, days, text_scale, data):
        self.seed, self.variant = seed, variant
        self.clock = Clock(start_ms, days)
        self.start_ms, self.end_ms, self.days = start_ms, self.clock.end_ms, days
        self.net = Net(seed)
        self.text = TextSynth(seed, text_scale)
        self.data = data
        self.id_rng = derive(seed, "ids")
        self.accounts = []
        self.lines = []          # (time_ms, id, json line)
        self.stream_lines = []   # per-exchange stream labels of mixed accounts
        self.release_ms = start_ms + int(days * 0.55) * MS_D + 17 * MS_H
        self.models_old = ["aegis-chat-1", "aegis-reason-1", "aegis-coder-1"]
        self.model_new = "aegis-reason-2"
        self.last_text = ""

    def emit(self, rng, acct, t_ms, request, answer_kind, answer_tokens, *, model=None,
             endpoint="chat.completions", lang="en", session=None, client=None, key=None,
             stream_label=None, tool_calls=None, tool_text="", status=200):
        client = client or acct.client
        ip, asn, cc, ua = client.pick(rng, t_ms)
        if model is None:
            model = request.get("model") or self.models_old[0]
        request["model"] = model
        if model.startswith("aegis-reason") and answer_kind not in ("label", "json") and tool_calls is None:
            answer_tokens = int(answer_tokens * rng.uniform(1.8, 3.5))
        mt = request.get("max_tokens") or request.get("max_completion_tokens")
        finish = "stop"
        if mt and answer_tokens >= mt:
            answer_tokens, finish = mt, "length"
        n_choices = request.get("n") or 1
        choices = []
        if status == 200:
            for _ in range(n_choices):
                if tool_calls is not None:
                    choices.append({"text": tool_text or "", "finish_reason": "tool_calls", "tool_calls": tool_calls})
                else:
                    choices.append({"text": self.text.text(rng, answer_kind, answer_tokens, lang),
                                    "finish_reason": finish})
        self.last_text = choices[0]["text"] if choices else ""
        ptoks = approx_tokens(json.dumps(request.get("messages") or request.get("prompt") or "", ensure_ascii=False))
        if request.get("tools"):
            ptoks += approx_tokens(json.dumps(request["tools"]))
        xid = "ex_" + hexid(self.id_rng, 20)
        rec = {"id": xid, "time": iso_ms(t_ms), "account": acct.id, "key_id": key or acct.keys[0],
               "client": {"ip": ip, "user_agent": ua, "asn": asn, "country": cc},
               "account_meta": acct.meta, "model": model, "endpoint": endpoint, "request": request,
               "response": {"status": status, "choices": choices,
                            "usage": {"prompt_tokens": ptoks,
                                      "completion_tokens": (answer_tokens * n_choices if status == 200 else 0)}}}
        if session:
            rec["session"] = session
        self.lines.append((t_ms, xid, json.dumps(rec, ensure_ascii=False, separators=(",", ":"))))
        acct.n += 1
        if stream_label is not None:
            sysmsg = next((m.get("content") for m in request.get("messages") or [] if m.get("role") == "system"), None)
            self.stream_lines.append((t_ms, json.dumps({"id": xid, "account": acct.id, "user": request.get("user"),
                                                        "system_sha256": hashlib.sha256(sysmsg.encode()).hexdigest()
                                                        if isinstance(sysmsg, str) else None,
                                                        "stream": stream_label[0], "campaign_id": stream_label[1]},
                                                       separators=(",", ":"))))
        return xid
