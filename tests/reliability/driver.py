"""The crash test's users: logged-in browsers (requests sessions with the
CSRF cookie) taking decisions through the pages of the running server, as
people would, on the May Day cases (campaign kinds) the workload prepared,
and voters casting
ballots in the demo's open evaluation with their one-time codes (a cast cut
off by a kill is sent again, as a voter would). Which cases wait where, and
which codes are unused, is read from the database; every decision and
ballot goes through HTTP."""

import collections
import random
import threading
import time

import requests

PASSWORD = "demo-2024"
CAMPAIGN = "mayday-crash"  # tests/reliability/workload.py

# state → (who decides, the decisions offered with their weights): the
# kinds' codes, one per step (the chair confirms, the intermediate union
# forwards, the district grants with the version's first outcome).
DECIDERS = {
    "confirming": ("chair", [("confirm", 8), ("return", 2)]),
    "intermediate": ("intermediate", [("forward", 9), ("return", 1)]),
    "deciding": ("qz_admin", [("outcome_1", 1)]),
    "returned": ("submit", [("resubmit", 1)]),
}
FINAL = {"outcome_1", "outcome_2", "reject"}
# The inbox's bulk decision at the district's review (workflows.steps.inbox).
DISTRICT_REVIEW = "awards.kinds.flows.KindCaseFlow.district_review"
GRADES = ["excellent", "competent", "basic", "incompetent", ""]

_WAITING = """
SELECT n.id, n.state, n.version, o.code, p.code
FROM kinds_kindcase n
JOIN kinds_kindcampaign c ON c.id = n.campaign_id
JOIN workflows_organisation o ON o.id = n.organisation_id
JOIN workflows_organisation p ON p.id = o.parent_id
WHERE c.code = %s AND n.state = ANY(%s)
"""


class Driver:
    """Runs in a thread until stopped; counts what happened."""

    def __init__(self, base_url, database_url, seed):
        self.base = base_url.rstrip("/")
        self.database_url = database_url
        self.rng = random.Random(seed)
        self.sessions = {}
        self.counts = collections.Counter()
        self.stop = threading.Event()
        # Ballots whose cast was cut off by a kill: (evaluation, code, grades).
        self.unsure_votes = []
        self.thread = threading.Thread(target=self.run, name="driver", daemon=True)

    # HTTP ------------------------------------------------------------------

    def session(self, username):
        s = self.sessions.get(username)
        if s is None:
            s = requests.Session()
            s.get(f"{self.base}/login/", timeout=20)
            r = s.post(f"{self.base}/login/", data={
                "username": username, "password": PASSWORD, "csrfmiddlewaretoken": s.cookies.get("csrftoken", ""),
            }, allow_redirects=False, timeout=20)
            if r.status_code != 302:
                raise RuntimeError(f"login of {username} answered {r.status_code}")
            self.sessions[username] = s
        return s

    def post(self, username, path, data):
        s = self.session(username)
        data = {**data, "csrfmiddlewaretoken": s.cookies.get("csrftoken", "")}
        r = s.post(f"{self.base}{path}", data=data, allow_redirects=False, timeout=60,
                   headers={"Referer": f"{self.base}{path}"})
        if r.status_code >= 500:
            self.counts["server errors (5xx)"] += 1
        elif r.status_code in (302, 303):
            self.counts["accepted"] += 1
        elif r.status_code == 409:
            self.counts["refused: already handled (409)"] += 1
        else:
            self.counts[f"answered {r.status_code}"] += 1
        return r

    # What waits --------------------------------------------------------------

    def waiting(self, states):
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            return conn.execute(_WAITING, (CAMPAIGN, list(states))).fetchall()

    @staticmethod
    def decider(role, unit, parent):
        if role == "chair":
            return f"{unit}_chair"
        if role == "submit":
            return f"{unit}_submit"
        if role == "intermediate":
            return "cg_review" if parent == "chengguan" else "qzjg_review"
        return role

    # Actions -----------------------------------------------------------------

    def decide_one(self):
        rows = self.waiting(DECIDERS)
        if not rows:
            self.counts["nothing left to decide"] += 1
            return
        pk, state, version, unit, parent = self.rng.choice(rows)
        role, choices = DECIDERS[state]
        decision = self.rng.choices([c for c, _w in choices], [w for _c, w in choices])[0]
        self.counts[f"decision {decision}"] += 1
        if decision == "resubmit":
            # The union's own revision form, the answers as they stand.
            data = {f"answers-{key}": value for key, value in self.answers(pk).items()}
            data.update(version=version, comment="崩溃测试：已补充材料")
            self.post(self.decider(role, unit, parent), f"/awards/kinds/cases/{pk}/revise/", data)
            return
        data = {"decision": decision, "version": version, "comment": "崩溃测试：请补充材料" if decision == "return" else ""}
        if decision in FINAL:
            data["confirmed"] = "1"
        self.post(self.decider(role, unit, parent), f"/awards/kinds/cases/{pk}/decide/", data)

    def answers(self, pk):
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            [(answers,)] = conn.execute("SELECT answers FROM kinds_kindcase WHERE id = %s", (pk,)).fetchall()
        return {key: value for key, value in answers.items() if value not in (None, [], {})}

    def campaign_pk(self):
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            return conn.execute("SELECT id FROM kinds_kindcampaign WHERE code = %s", (CAMPAIGN,)).fetchone()[0]

    def decide_in_bulk(self):
        rows = self.waiting(["district"])
        if not rows:
            return
        chosen = self.rng.sample(rows, min(len(rows), self.rng.randint(2, 5)))
        self.counts["bulk decisions"] += 1
        self.post("qz_review", "/inbox/bulk/", {
            "step": DISTRICT_REVIEW, "action": "approve", "comment": "",
            "items": [f"{pk}:{version}" for pk, _s, version, _u, _p in chosen],
        })

    def print_campaign(self):
        self.counts["batch print requests"] += 1
        self.post("qz_admin", f"/awards/kinds/campaigns/{self.campaign_pk()}/print/", {"confirmed": "1"})

    def cast(self, evaluation, code, grades):
        s = requests.Session()
        s.get(f"{self.base}/evaluations/vote/{evaluation}/", timeout=20)
        data = {"code": code, "action": "cast", "csrfmiddlewaretoken": s.cookies.get("csrftoken", ""), **grades}
        try:
            r = s.post(f"{self.base}/evaluations/vote/{evaluation}/", data=data, timeout=60)
        except (requests.ConnectionError, requests.Timeout):
            self.unsure_votes.append((evaluation, code, grades))
            raise
        self.counts[f"ballot answered {r.status_code}"] += 1

    def vote(self):
        if self.unsure_votes:
            self.counts["ballots sent again"] += 1
            self.cast(*self.unsure_votes.pop())
            return
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT e.code, c.code, e.id FROM cadres_votingcode c JOIN cadres_evaluation e ON e.id = c.evaluation_id "
                "WHERE e.state = 'voting_open' AND NOT c.used").fetchall()
            if not rows:
                return
            evaluation, code, evaluation_id = self.rng.choice(rows)
            cadres = [pk for (pk,) in conn.execute("SELECT id FROM cadres_cadre WHERE evaluation_id = %s",
                                                   (evaluation_id,))]
        self.counts["ballots cast"] += 1
        self.cast(evaluation, code, {f"cadre-{pk}": self.rng.choice(GRADES) for pk in cadres})

    def act(self):
        roll = self.rng.random()
        if roll < 0.55:
            self.decide_one()
        elif roll < 0.75:
            self.decide_in_bulk()
        elif roll < 0.87:
            self.print_campaign()
        else:
            self.vote()

    def run(self):
        while not self.stop.is_set():
            try:
                self.act()
            except (requests.ConnectionError, requests.Timeout):
                # The server is down (killed): wait for its restart.
                self.counts["requests while the server was down"] += 1
                time.sleep(0.3)
            except Exception as exc:  # noqa: BLE001 - the test reports it, it must not stop driving
                self.counts[f"driver error {type(exc).__name__}"] += 1
                time.sleep(0.3)
            time.sleep(self.rng.uniform(0.05, 0.3))

    def start(self):
        self.thread.start()

    def finish(self):
        self.stop.set()
        self.thread.join(timeout=90)
