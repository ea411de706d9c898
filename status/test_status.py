#!/usr/bin/env python3
"""nfsinit-status's parser: real report lines, broken and foreign lines
skipped one by one, and random lines that never crash it."""
import importlib.machinery
import importlib.util
import io
import json
import os
import random
import unittest
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
loader = importlib.machinery.SourceFileLoader("nfsinit_status", os.path.join(HERE, "nfsinit-status"))
spec = importlib.util.spec_from_loader("nfsinit_status", loader)
st = importlib.util.module_from_spec(spec)
loader.exec_module(st)

OK = ('<133>1 2026-12-03T17:01:02.345Z node-a nfsinit - report [nfsinit@32473 mac="52:54:00:00:00:0a" '
      'ip="10.0.2.10" stage="switch" image="v7" up="9.100" outcome="ok" reason="switching root to /sbin/init" '
      'stages="cmdline=0.001 network=2.500 root=1.200" server="10.0.2.1" path="/srv/root" kernel="6.1.0" '
      'total="9.100"] boot ok in 9.100 s\n')
FAIL = ('<131>1 2026-12-03T17:00:00.000Z node-b nfsinit - report [nfsinit@32473 mac="52:54:00:00:00:0b" '
        'ip="10.0.2.11" stage="root" image="" up="70.000" outcome="root" reason="root: mount of '
        '10.0.2.1:/srv/nope failed: No such file [x\\] \\"q\\"" stages="network=2.0 root=60.000"] '
        'boot failed at stage root\n')
LINE = ('<134>1 2026-12-03T17:00:00.000Z node-b nfsinit - line [nfsinit@32473 mac="52:54:00:00:00:0b"] '
        'root: trying\n')


class Parser(unittest.TestCase):
    def test_report(self):
        r = st.parse_line(OK)
        self.assertEqual((r["node"], r["outcome"], r["image"]), ("node-a", "ok", "v7"))
        self.assertEqual(st.slowest(r["stages"]), "network 2.5s")
        r = st.parse_line(FAIL)
        self.assertEqual(r["outcome"], "root")
        self.assertEqual(r["reason"], 'root: mount of 10.0.2.1:/srv/nope failed: No such file [x] "q"')

    def test_broken_lines_skipped(self):
        broken = [
            "", "\n", "garbage", "<13>1", LINE,
            OK.replace("nfsinit -", "sshd -"),                      # foreign program
            OK[:120],                                               # cut in the SD
            OK.replace('outcome="ok"', 'outcome="ok'),              # unterminated value
            OK.replace("2026-12-03T17:01:02.345Z", "yesterday"),    # bad time
            OK.replace("[nfsinit@32473", "[other@1"),               # foreign SD
            OK.replace(' outcome="ok"', ""),                        # no outcome
            "<133>1 - - nfsinit - report -\n",
            "\x00\xff<133>1 \x1b[2J",
        ]
        for b in broken:
            self.assertIsNone(st.parse_line(b), b)
        nodes = st.latest(broken + [FAIL, OK] + broken)
        self.assertEqual([r["node"] for r in nodes], ["node-b", "node-a"])  # failures first

    def test_latest_and_since(self):
        later_ok = FAIL.replace("17:00:00.000Z", "17:05:00.000Z").replace('outcome="root"', 'outcome="ok"')
        nodes = st.latest([FAIL, later_ok, OK])
        self.assertEqual([(r["node"], r["outcome"]) for r in nodes], [("node-a", "ok"), ("node-b", "ok")])
        nodes = st.latest([FAIL, OK], since=st.parse_time("2026-12-03T17:01:00Z"))
        self.assertEqual([r["node"] for r in nodes], ["node-a"])

    def test_random_lines_never_crash(self):
        rnd = random.Random(20)
        alphabet = '<>1 -[]"\\=@nfsinitreport0123456789:TZ.\n\x00\xe9'
        for _ in range(20000):
            base = rnd.choice([OK, FAIL, ""])
            s = list(base)
            for _ in range(rnd.randint(0, 8)):
                op, pos = rnd.random(), rnd.randint(0, len(s))
                if op < 0.4:
                    s.insert(pos, rnd.choice(alphabet))
                elif op < 0.8 and s:
                    del s[min(pos, len(s) - 1)]
                else:
                    s = s[:pos]
            st.latest(["".join(s)])
            st.parse_line("".join(s))

    def test_cli_json(self):
        path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "nfsinit-status-test-%d.log" % os.getpid())
        with open(path, "w") as f:
            f.write("foreign line\n" + OK + FAIL)
        try:
            out = io.StringIO()
            with redirect_stdout(out):
                self.assertEqual(st.main([path, "--json"]), 0)
            data = json.loads(out.getvalue())
            self.assertEqual([d["outcome"] for d in data], ["root", "ok"])
            self.assertEqual(data[1]["slowest"], "network 2.5s")
            out = io.StringIO()
            with redirect_stdout(out):
                st.main([path])
            lines = out.getvalue().splitlines()
            self.assertEqual(len(lines), 3)
            self.assertIn("FAILED", lines[1])
            self.assertIn("node-a", lines[2])
        finally:
            os.unlink(path)


if __name__ == "__main__":
    unittest.main()
