"""Text the red team wrote for the generator: everyday chat requests, synthetic task
items, app templates and the sentence material that synthetic answers are built from.

Nothing here is copied from a data set. Real benchmark items and real user prompts are
read from ../shared/data at generation time by datasets.py and never stored here.
"""

import random

NAMES = ["Ava", "Liam", "Maya", "Noah", "Zara", "Omar", "Lena", "Kenji", "Priya", "Mateo",
         "Sofia", "Ibrahim", "Chloe", "Wei", "Tomas", "Nadia", "Ravi", "Elena", "Jonas", "Aiko"]
THINGS = ["apples", "stickers", "marbles", "books", "cupcakes", "pencils", "tickets", "coins",
          "seashells", "cards", "bottles", "plants", "bricks", "boxes", "candles"]
PLACES = ["the market", "school", "the library", "a bakery", "the park", "a garage sale",
          "the museum", "a bookstore", "the farm", "the office"]

MATH_TEMPLATES = [
    "{a} has {x} {t}. {b} gives {a} {y} more, and then {a} gives away {z}. How many {t} does {a} have now?",
    "A shop sells {t} for ${p} each. {a} buys {x} of them and pays with a ${q} bill. How much change does {a} get?",
    "{a} reads {x} pages a day. The book has {n} pages. After {y} days, how many pages are left?",
    "A train travels at {x} km/h for {y} hours and then at {z} km/h for {w} hours. What is the total distance?",
    "{a} saves ${x} every week. How many weeks will it take to save ${n}?",
    "There are {x} students in a class. {pc}% of them walk to school. How many students do not walk?",
    "{a} bought {x} {t} at {place} and sold them for ${p} each, making a profit of ${y}. What did {a} pay in total?",
    "A rectangle has a perimeter of {n} cm and a width of {x} cm. What is its area?",
    "{a} is {x} years older than {b}. In {y} years the sum of their ages will be {n}. How old is {b} now?",
    "A tank holds {n} liters. It leaks {x} liters per hour while a pump adds {y} liters per hour. Starting full, how long until it holds {z} liters?",
    "{a} and {b} share {n} {t} in the ratio {x}:{y}. How many does {b} get?",
    "A recipe needs {x} cups of flour for {y} servings. How much flour is needed for {z} servings?",
    "The price of a jacket is ${n}. It is discounted by {pc}% and then taxed at {x}%. What is the final price?",
    "If 3 workers build a wall in {x} days, how long would {y} workers take at the same rate?",
    "{a} runs {x} laps of a {y}-meter track every morning. How many kilometers is that in {z} days?",
]

LOGIC_TEMPLATES = [
    "{a}, {b} and {c} finished a race. {a} was not last. {b} finished right after {c}. Who won?",
    "Every {t1} is a {t2}. Some {t2} are {t3}. Does it follow that some {t1} are {t3}? Explain.",
    "If it rains, the match is cancelled. The match was not cancelled. What can you conclude?",
    "A box holds red, blue and green balls. There are twice as many red as blue and {x} more green than red. There are {n} balls. How many of each?",
    "Today is {day}. What day of the week will it be {x} days from now?",
    "{a} always lies and {b} always tells the truth. One of them says 'I am the liar'. Who said it?",
    "Sort these words alphabetically: {w1} {w2} {w3} {w4} {w5}.",
    "Evaluate: (({x} + {y}) * {z} - {w}) / {q}.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WORDS = ["lantern", "orbit", "meadow", "copper", "violet", "glacier", "ember", "harbor", "quartz",
         "willow", "falcon", "tundra", "saffron", "mosaic", "cobalt", "prairie", "zephyr", "basalt"]
KINDS = ["painters", "artists", "dreamers", "sailors", "poets", "engineers", "gardeners"]

CODE_TEMPLATES = [
    "Write a function that returns the {k}th largest element of a list of integers.",
    "Write a function that checks whether a string of brackets ()[]{{}} is balanced.",
    "Implement run-length encoding and decoding for strings.",
    "Write a function that merges overlapping intervals given as a list of [start, end] pairs.",
    "Write a function that returns all permutations of a list without using itertools.",
    "Implement an LRU cache class with get and put in O(1).",
    "Write a function that finds the longest palindromic substring of a string.",
    "Given a grid of 0s and 1s, count the number of islands (4-connected).",
    "Write a function that converts a Roman numeral to an integer.",
    "Implement binary search that returns the first index of a target in a sorted list with duplicates.",
    "Write a function that computes the edit distance between two strings.",
    "Parse a CSV line that may contain quoted fields with commas, and return the fields.",
    "Write a function that returns the {k} most frequent words in a text, ties broken alphabetically.",
    "Implement a min-heap with push, pop and peek.",
    "Write a function to rotate an n x n matrix 90 degrees clockwise in place.",
    "Write a function that validates an IPv4 address string.",
    "Given a list of stock prices, return the maximum profit from one buy and one sell.",
    "Implement a trie with insert, search and starts_with.",
    "Write a function that flattens an arbitrarily nested list.",
    "Write a function that returns the shortest path length in an unweighted graph given as an adjacency list.",
]


def synth_math(rng: random.Random) -> str:
    t = rng.choice(MATH_TEMPLATES)
    x = rng.randint(2, 60)
    return t.format(a=rng.choice(NAMES), b=rng.choice(NAMES), t=rng.choice(THINGS),
                    place=rng.choice(PLACES), x=x, y=rng.randint(2, 40), z=rng.randint(1, 30),
                    w=rng.randint(1, 9), n=rng.randint(60, 900), p=rng.randint(2, 25),
                    q=rng.choice([20, 50, 100]), pc=rng.choice([10, 15, 20, 25, 30, 40, 60]))


def synth_logic(rng: random.Random) -> str:
    t = rng.choice(LOGIC_TEMPLATES)
    a, b, c = rng.sample(NAMES, 3)
    t1, t2, t3 = rng.sample(KINDS, 3)
    w = rng.sample(WORDS, 5)
    return t.format(a=a, b=b, c=c, t1=t1, t2=t2, t3=t3, x=rng.randint(2, 40), y=rng.randint(2, 20),
                    z=rng.randint(2, 9), w=rng.randint(1, 30), q=rng.randint(2, 7), n=rng.randint(20, 90),
                    day=rng.choice(DAYS), w1=w[0], w2=w[1], w3=w[2], w4=w[3], w5=w[4])


def synth_code(rng: random.Random) -> str:
    return rng.choice(CODE_TEMPLATES).format(k=rng.randint(2, 10))


# ---------------------------------------------------------------- everyday chat

CHAT_TEMPLATES = [
    "Write a polite email to my {who} asking to {ask}.",
    "What's a good {meal} recipe that uses {ing1} and {ing2}?",
    "Can you explain {topic} like I'm {age}?",
    "Give me {n} ideas for a {occasion} gift for my {who2}.",
    "Summarize the pros and cons of {choice1} versus {choice2}.",
    "Help me plan a {d}-day trip to {city} on a budget.",
    "Rewrite this to sound more professional: \"{casual}\"",
    "What are some tips for {skill}?",
    "Translate \"{phrase}\" into {lang}.",
    "Write a short poem about {poemtopic}.",
    "How do I fix \"{error}\" in {tool}?",
    "Draft a {len} cover letter for a {job} position.",
    "Why does {phenomenon}?",
    "Suggest a name for my {pet}.",
    "Make a weekly workout plan for someone who {constraint}.",
    "Explain the difference between {c1} and {c2}.",
    "I have a meeting about {mtopic} tomorrow. What questions should I prepare?",
    "Write a {genre} story opening set in {setting}.",
    "What should I consider when buying a {product}?",
    "Turn these notes into bullet points: {notes}",
    "Is it normal that {worry}?",
    "Write a SQL query that {sqltask}.",
    "What does this regex do: {regex}",
    "Give me a study schedule for {exam} in {weeks} weeks.",
]
FILL = {
    "who": ["landlord", "manager", "professor", "neighbour", "client", "HR team"],
    "ask": ["fix the heating", "reschedule our meeting", "extend the deadline", "review my proposal",
            "move my shift", "clarify the invoice"],
    "meal": ["vegetarian dinner", "quick lunch", "breakfast", "dessert", "soup", "picnic"],
    "ing1": ["chickpeas", "spinach", "rice", "eggs", "lentils", "tofu", "zucchini"],
    "ing2": ["lemon", "garlic", "coconut milk", "feta", "tomatoes", "mushrooms"],
    "topic": ["inflation", "black holes", "how vaccines work", "blockchains", "compound interest",
              "photosynthesis", "the stock market", "neural networks", "tides"],
    "age": ["five", "ten", "a high school student", "a busy executive"],
    "n": ["3", "5", "7", "10"],
    "occasion": ["birthday", "housewarming", "retirement", "graduation", "farewell"],
    "who2": ["dad", "sister", "coworker", "partner", "best friend", "grandmother"],
    "choice1": ["renting", "an electric car", "remote work", "a Mac", "index funds"],
    "choice2": ["buying", "a hybrid", "office work", "a PC", "picking stocks"],
    "d": ["3", "4", "5", "7"],
    "city": ["Lisbon", "Kyoto", "Mexico City", "Prague", "Istanbul", "Seoul", "Cape Town", "Montreal"],
    "casual": ["hey can u send me the thing by friday", "sorry im late again, traffic was nuts",
               "we gotta talk about the budget asap", "thx for the help yesterday!!"],
    "skill": ["public speaking", "sleeping better", "learning guitar", "negotiating salary",
              "keeping houseplants alive", "writing clean code", "running a first marathon"],
    "phrase": ["Where is the train station?", "I would like a table for two.", "Happy birthday!",
               "Thank you for your patience."],
    "lang": ["French", "Japanese", "Spanish", "German", "Korean", "Italian"],
    "poemtopic": ["autumn rain", "my cat", "the city at night", "starting over", "the sea"],
    "error": ["ModuleNotFoundError: No module named 'numpy'", "permission denied (publickey)",
              "CORS policy blocked", "segmentation fault", "port 8080 already in use"],
    "tool": ["Python", "git", "my React app", "C", "Docker"],
    "len": ["short", "one-page", "concise", "friendly"],
    "job": ["data analyst", "nurse", "junior developer", "marketing", "teaching assistant"],
    "phenomenon": ["the sky look blue", "bread go stale", "my phone battery drain faster in the cold",
                   "ice float", "coffee make me sleepy sometimes"],
    "pet": ["orange kitten", "rescue greyhound", "hamster", "parrot"],
    "constraint": ["has bad knees", "only has 20 minutes a day", "works night shifts", "is a beginner"],
    "c1": ["TCP", "a virus", "weather", "affect", "RAM", "a Roth IRA"],
    "c2": ["UDP", "bacteria", "climate", "effect", "storage", "a traditional IRA"],
    "mtopic": ["the Q3 roadmap", "a salary review", "a new vendor", "our hiring plan"],
    "genre": ["mystery", "sci-fi", "fantasy", "horror", "romance"],
    "setting": ["a lighthouse", "a Martian colony", "a night train", "an abandoned mall"],
    "product": ["used car", "laptop for video editing", "mattress", "pair of running shoes"],
    "notes": ["budget up 5%, hire 2 devs, launch moved to May, vendor issue pending",
              "call mom, pay rent, dentist thursday, finish slides"],
    "worry": ["my code works but I don't know why", "my sourdough starter smells like acetone",
              "my cat sleeps 16 hours a day"],
    "sqltask": ["finds the top 5 customers by total order value",
                "counts orders per month in 2025", "deletes duplicate rows by email"],
    "regex": ["^\\d{3}-\\d{4}$", "(?i)^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$", "\\b(\\w+)\\s+\\1\\b"],
    "exam": ["the bar exam", "calculus finals", "a driving theory test", "AWS certification"],
    "weeks": ["2", "4", "6", "8"],
}

# A few everyday requests in other languages (written by the red team).
CHAT_OTHER = {
    "zh": ["帮我写一封请假邮件。", "推荐几本适合初学者的编程书。", "周末去杭州玩两天怎么安排？", "怎么提高英语口语？",
           "解释一下什么是通货膨胀。", "给我妈妈的生日礼物有什么好建议？", "这段代码为什么报错？"],
    "es": ["¿Me ayudas a escribir un correo a mi jefe?", "Dame ideas para una cena rápida.",
           "¿Qué debo ver en Madrid en tres días?", "Explícame qué es un ETF."],
    "fr": ["Peux-tu corriger ce paragraphe ?", "Quelles sont des idées de sortie à Lyon ?",
           "Explique-moi la différence entre un CDD et un CDI."],
    "de": ["Schreib mir eine kurze Absage für ein Vorstellungsgespräch.", "Was koche ich heute mit Kartoffeln?",
           "Erkläre mir, wie eine Wärmepumpe funktioniert."],
    "ru": ["Помоги составить резюме.", "Что посмотреть в Санкт-Петербурге?", "Объясни, как работает ипотека."],
    "pt": ["Me ajuda a escrever uma mensagem de aniversário?", "Quais são dicas para dormir melhor?"],
    "ja": ["週末の東京のおすすめスポットを教えて。", "メールの敬語を直してください。"],
    "ko": ["자기소개서 첫 문장을 추천해 줘.", "서울에서 가볼 만한 카페 알려줘."],
}

FOLLOWUPS = ["Can you make it shorter?", "Thanks! Can you give another example?", "What about the second point?",
             "Make it more formal.", "Can you explain that last part again?", "Great, now in a table please.",
             "Hmm, I don't think that's right. Can you check?", "ok and what if I don't have that?",
             "Could you add more detail?", "perfect thanks", "Translate that to Spanish.", "Why?"]

TUTOR_FOLLOWUPS = ["I don't get step 2, can you explain it differently?", "Why did you multiply there?",
                   "Can you check my answer? I got {n}.", "Is there an easier way?", "What does that word mean?",
                   "ok thanks!!", "can u give me a similar problem to practice", "wait why is it not {n}?"]

TUTOR_SYSTEMS = [
    "You are {name}, a friendly math tutor for students aged 9 to 14. Explain every step in simple words, "
    "ask a check-in question at the end, and never just give the answer without the working.",
    "You are a patient homework helper. Break problems into small numbered steps and explain each one. "
    "Use encouraging language. Keep the final answer clearly marked.",
    "You are a study coach inside the {name} learning app. Show the full reasoning step by step, "
    "then summarise the method in one sentence so the student can reuse it.",
]

# App back-ends: one fixed template each, filled with varying inputs.
APP_TEMPLATES = [
    ("Classify the sentiment of the following customer review as positive, negative or neutral. "
     "Reply with one word.\n\nReview: {text}", "label", 5),
    ("Write a 60-word product description for an online store.\nProduct: {product}\nFeatures: {features}\n"
     "Tone: upbeat.", "prose", 90),
    ("Extract the vendor, date and total amount from this invoice text and return JSON with keys "
     "vendor, date, total.\n\n{text}", "json", 50),
    ("Summarize the following support ticket in two sentences and assign a priority (low/medium/high).\n\n"
     "Ticket: {text}", "prose", 70),
    ("Translate the following UI string to {lang}. Return only the translation.\n\n{text}", "label", 20),
    ("Generate three SEO title suggestions for an article about {product}.", "prose", 45),
    ("Summarize this passage in three bullet points:\n\n{text}", "prose", 80),
]
PRODUCTS = ["stainless steel water bottle", "wireless earbuds", "bamboo cutting board", "yoga mat",
            "LED desk lamp", "hiking backpack", "ceramic mug set", "phone tripod", "wool socks", "air purifier"]
FEATURES = ["leak-proof, 750 ml, keeps drinks cold 24h", "noise cancelling, 30h battery, USB-C",
            "non-slip, 6 mm, eco-friendly", "dimmable, warm light, touch control", "lightweight, 30 L, rain cover"]
REVIEW_BITS = ["Arrived quickly", "Broke after two days", "Exactly as described", "Terrible customer service",
               "Works fine I guess", "Would buy again", "Smaller than expected", "My kids love it",
               "Battery life is disappointing", "Great value for the price", "Packaging was damaged",
               "Not sure yet", "Five stars", "Returned it"]
TICKET_BITS = ["I can't log in since the update", "The invoice shows the wrong amount",
               "Export to CSV hangs at 90%", "Please cancel my subscription", "The app crashes when I upload a photo",
               "Two-factor codes never arrive", "I was charged twice this month", "Dark mode resets after restart"]


def app_input(rng: random.Random, template: str, corpus_snippet) -> str:
    if "{product}" in template or "{features}" in template:
        return template.format(product=rng.choice(PRODUCTS), features=rng.choice(FEATURES),
                               text="", lang="")
    if "Review:" in template:
        text = ". ".join(rng.sample(REVIEW_BITS, rng.randint(1, 3))) + "."
    elif "invoice" in template:
        text = (f"{rng.choice(['Acme Supplies', 'Nordwind GmbH', 'Blue Finch Ltd', 'Sato Trading'])}\n"
                f"Invoice #{rng.randint(1000, 99999)}  Date: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}\n"
                f"Items: {rng.randint(1, 9)} x widget @ {rng.randint(3, 90)}.00\nTotal due: {rng.randint(20, 4000)}.{rng.randint(0, 99):02d} EUR")
    elif "Ticket:" in template:
        text = rng.choice(TICKET_BITS) + ". " + rng.choice(["Please help.", "Urgent!", "Thanks.", "Order 88213.", ""])
    elif "passage" in template:
        text = corpus_snippet(rng)
    else:
        text = rng.choice(["Save changes", "Your session has expired", "Add to cart", "Forgot password?",
                           "Upload failed, try again", "Settings", "Notifications are off"])
    return template.format(text=text, lang=rng.choice(["German", "French", "Japanese", "Portuguese"]),
                           product="", features="")


def chat_prompt(rng: random.Random) -> str:
    t = rng.choice(CHAT_TEMPLATES)
    out = []
    i = 0
    # Fill every {slot} with a random choice from FILL (a slot may repeat in a template).
    while True:
        j = t.find("{", i)
        if j < 0:
            out.append(t[i:])
            break
        k = t.find("}", j)
        key = t[j + 1:k]
        out.append(t[i:j])
        out.append(rng.choice(FILL[key]) if key in FILL else t[j:k + 1])
        i = k + 1
    return "".join(out)


# ---------------------------------------------------------------- answer material

REASON_SENT = [
    "First, let's identify what the problem gives us: {a} and {b}.",
    "We need to find {q}, so let's set up the relationship between the quantities.",
    "Step {k}: compute {a} × {b} = {c}.",
    "Step {k}: subtract {b} from {c}, which leaves {d}.",
    "Now divide {c} by {b} to get {e}.",
    "Let me double-check this: {a} + {b} = {f}, which matches.",
    "Wait, I should reconsider the second condition before continuing.",
    "This means the remaining amount is {d}.",
    "Let x be the unknown. Then {a}x + {b} = {c}, so x = {e}.",
    "Consider the case where the value is {a}; then the constraint fails, so we discard it.",
    "By the same reasoning, the other part equals {d}.",
    "Combining both results gives {f}.",
    "Hmm, that seems too large. Let me recompute: {c} − {a} = {d}.",
    "So far we have established the first two facts; the third follows from them.",
    "Substituting back into the original equation confirms the result.",
    "Therefore the intermediate total is {c}.",
    "Alternatively, we can reason about it by elimination.",
    "Option ({l}) contradicts the earlier statement, so it cannot be correct.",
    "We now verify each condition in turn.",
    "Putting it all together, the quantity we want is {e}.",
]
REASON_END = ["Therefore, the answer is {e}.", "**Final answer:** {e}", "Answer: {e}", "\\boxed{{{e}}}",
              "So the final result is {e}."]
CHAT_SENT = [
    "Here are a few things to keep in mind.", "The short answer is that it depends on your situation.",
    "A good place to start is to list what matters most to you.", "Many people find it helpful to break this into smaller steps.",
    "One common option is to compare the total cost over a year.", "You might also consider asking for feedback early.",
    "In practice, the difference is smaller than it looks.", "This works well if you have a little extra time.",
    "If you want, I can tailor this to your schedule.", "Keep the tone friendly but direct.",
    "The main advantage is flexibility; the main drawback is cost.", "Try it for a week and adjust from there.",
    "Here's a simple version you can adapt.", "It's worth checking the official documentation for details.",
    "A quick tip: write things down as soon as you think of them.", "That should cover the essentials.",
    "Let me know if you'd like a longer version.", "There isn't a single right answer, but here's a sensible default.",
]
CODE_LINES = [
    "def solve(items):", "    result = []", "    for i, x in enumerate(items):", "        if x is None:",
    "            continue", "        result.append(x * 2)", "    return result", "", "class Cache:",
    "    def __init__(self, capacity):", "        self.capacity = capacity", "        self.data = {}",
    "    def get(self, key):", "        return self.data.get(key, -1)", "import heapq", "from collections import deque",
    "    while queue:", "        node = queue.popleft()", "        seen.add(node)", "assert solve([1, 2]) == [2, 4]",
    "    left, right = 0, len(arr) - 1", "    mid = (left + right) // 2", "        if arr[mid] < target:",
    "            left = mid + 1", "        else:", "            right = mid",
]
CODE_PROSE = ["The approach is to scan the input once and keep a running state.",
              "Edge cases: an empty input, a single element, and duplicates.",
              "This runs in O(n log n) time and O(n) extra space.", "Let's test it on the examples.",
              "Now I'll run the tests again to confirm the fix.", "The failing test suggests an off-by-one error.",
              "Next, I'll inspect the file that defines the handler.", "I'll update the function and re-run the suite."]
OTHER_LEAD = {"zh": "我们一步一步来分析。", "es": "Vamos paso a paso.", "fr": "Procédons étape par étape.",
              "de": "Gehen wir Schritt für Schritt vor.", "ru": "Разберём по шагам.", "pt": "Vamos passo a passo.",
              "ja": "順を追って考えます。", "ko": "단계별로 살펴보겠습니다.", "it": "Procediamo passo dopo passo.",
              "tr": "Adım adım ilerleyelim.", "vi": "Chúng ta làm từng bước.", "id": "Mari kita kerjakan langkah demi langkah.",
              "pl": "Przejdźmy krok po kroku.", "nl": "Laten we stap voor stap gaan."}
