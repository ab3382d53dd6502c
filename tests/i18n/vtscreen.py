#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A small xterm-like screen, enough to read back what ncurses drew.

    vtscreen.py FILE ENCODING [COLS ROWS]    prints the screen, one row a line

The raw bytes of a session (as ptyrun.py records them) are decoded with
ENCODING (the locale's codeset) and played on a COLS x ROWS screen (100x30
by default). Full-screen programs draw on the alternate screen and leave it
on exit, so what is printed is the alternate screen as it was when it was
left last (or the screen at the end, when it never was).

Handles what ncurses sends for TERM=xterm-256color: cursor addressing and
movement, erase, insert/delete, repeat, scroll regions, index, the
alternate screen; colours, modes, charsets, OSC and DCS are read and
ignored (line-drawing characters stay as their ASCII letters).
"""

import re
import sys
import unicodedata


def char_width(ch):
    if unicodedata.combining(ch):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


class Screen:
    def __init__(self, cols=100, rows=30):
        self.cols, self.rows = cols, rows
        self.main = self._blank()
        self.alt = None
        self.grid = self.main
        self.last_alt = None
        self.r = self.c = 0
        self.top, self.bottom = 0, rows - 1
        self.pending = False
        self.saved = (0, 0)
        self.last = " "

    def _blank(self):
        return [[" "] * self.cols for _ in range(self.rows)]

    # ---- helpers
    def _clamp(self):
        self.r = max(0, min(self.rows - 1, self.r))
        self.c = max(0, min(self.cols - 1, self.c))
        self.pending = False

    def _scroll_up(self, n=1):
        for _ in range(n):
            del self.grid[self.top]
            self.grid.insert(self.bottom, [" "] * self.cols)

    def _scroll_down(self, n=1):
        for _ in range(n):
            del self.grid[self.bottom]
            self.grid.insert(self.top, [" "] * self.cols)

    def _linefeed(self):
        if self.r == self.bottom:
            self._scroll_up()
        elif self.r < self.rows - 1:
            self.r += 1

    def _put(self, ch):
        w = char_width(ch)
        if w == 0:
            # a combining character joins the cell before the cursor
            c = self.c if self.pending else self.c - 1
            if c >= 0:
                if self.grid[self.r][c] == "" and c > 0:
                    c -= 1
                self.grid[self.r][c] += ch
            return
        if self.pending or self.c + w > self.cols:
            self.c = 0
            self._linefeed()
            self.pending = False
        self.grid[self.r][self.c] = ch
        if w == 2 and self.c + 1 < self.cols:
            self.grid[self.r][self.c + 1] = ""
        self.last = ch
        if self.c + w >= self.cols:
            self.c = self.cols - 1
            self.pending = True
        else:
            self.c += w

    # ---- sequences
    def _csi(self, priv, params, final):
        ps = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []

        def p(i, default=1):
            v = ps[i] if i < len(ps) else 0
            return v if v else default

        g = self.grid
        if priv == "?":
            if final in "hl" and any(x in (47, 1047, 1049) for x in ps):
                if final == "h" and self.alt is None:
                    self.alt = self._blank()
                    self.grid = self.alt
                    if 1049 in ps:
                        self.saved = (self.r, self.c)
                elif final == "l" and self.alt is not None:
                    self.last_alt = [row[:] for row in self.alt]
                    self.alt = None
                    self.grid = self.main
                    if 1049 in ps:
                        self.r, self.c = self.saved
            return
        if priv:
            return
        if final in "Hf":
            self.r, self.c = p(0) - 1, p(1) - 1
            self._clamp()
        elif final == "A":
            self.r -= p(0)
            self._clamp()
        elif final in "Be":
            self.r += p(0)
            self._clamp()
        elif final in "Ca":
            self.c += p(0)
            self._clamp()
        elif final == "D":
            self.c -= p(0)
            self._clamp()
        elif final == "E":
            self.r, self.c = self.r + p(0), 0
            self._clamp()
        elif final == "F":
            self.r, self.c = self.r - p(0), 0
            self._clamp()
        elif final in "G`":
            self.c = p(0) - 1
            self._clamp()
        elif final == "d":
            self.r = p(0) - 1
            self._clamp()
        elif final == "J":
            mode = ps[0] if ps else 0
            if mode == 0:
                g[self.r][self.c:] = [" "] * (self.cols - self.c)
                for i in range(self.r + 1, self.rows):
                    g[i] = [" "] * self.cols
            elif mode == 1:
                g[self.r][:self.c + 1] = [" "] * (self.c + 1)
                for i in range(self.r):
                    g[i] = [" "] * self.cols
            else:
                for i in range(self.rows):
                    g[i] = [" "] * self.cols
        elif final == "K":
            mode = ps[0] if ps else 0
            if mode == 0:
                g[self.r][self.c:] = [" "] * (self.cols - self.c)
            elif mode == 1:
                g[self.r][:self.c + 1] = [" "] * (self.c + 1)
            else:
                g[self.r] = [" "] * self.cols
        elif final == "X":
            n = min(p(0), self.cols - self.c)
            g[self.r][self.c:self.c + n] = [" "] * n
        elif final == "P":
            n = min(p(0), self.cols - self.c)
            row = g[self.r]
            del row[self.c:self.c + n]
            row.extend([" "] * n)
        elif final == "@":
            n = min(p(0), self.cols - self.c)
            row = g[self.r]
            for _ in range(n):
                row.insert(self.c, " ")
            del row[self.cols:]
        elif final == "b":
            for _ in range(p(0)):
                self._put(self.last)
        elif final in "LM":
            if self.top <= self.r <= self.bottom:
                for _ in range(p(0)):
                    if final == "L":
                        del g[self.bottom]
                        g.insert(self.r, [" "] * self.cols)
                    else:
                        del g[self.r]
                        g.insert(self.bottom, [" "] * self.cols)
        elif final == "S":
            self._scroll_up(p(0))
        elif final == "T":
            self._scroll_down(p(0))
        elif final == "r":
            self.top = p(0) - 1
            self.bottom = p(1, self.rows) - 1
            if not 0 <= self.top < self.bottom < self.rows:
                self.top, self.bottom = 0, self.rows - 1
            self.r = self.c = 0
            self.pending = False
        # m (colours), h/l (modes), n, t, ...: nothing to draw

    def feed(self, text):
        i, n = 0, len(text)
        csi = re.compile(r"\x1b\[([?>=<!]?)([0-9;:]*)[ -/]*([@-~])")
        while i < n:
            ch = text[i]
            if ch == "\x1b":
                m = csi.match(text, i)
                if m:
                    self._csi(m.group(1), m.group(2).replace(":", ";"), m.group(3))
                    i = m.end()
                    continue
                nxt = text[i + 1:i + 2]
                if nxt in ("]", "P", "_", "^", "X"):
                    # string: up to BEL or ST
                    j = i + 2
                    while j < n and text[j] != "\x07" and text[j:j + 2] != "\x1b\\":
                        j += 1
                    i = j + (1 if j < n and text[j] == "\x07" else 2)
                    continue
                if nxt in ("(", ")", "*", "+", "#", "%", " "):
                    i += 3
                    continue
                if nxt == "7":
                    self.saved = (self.r, self.c)
                elif nxt == "8":
                    self.r, self.c = self.saved
                    self._clamp()
                elif nxt == "M":
                    if self.r == self.top:
                        self._scroll_down()
                    elif self.r > 0:
                        self.r -= 1
                elif nxt == "D":
                    self._linefeed()
                elif nxt == "E":
                    self.c = 0
                    self._linefeed()
                elif nxt == "c":
                    self.__init__(self.cols, self.rows)
                i += 2
                continue
            if ch == "\r":
                self.c = 0
                self.pending = False
            elif ch in "\n\x0b\x0c":
                self._linefeed()
                self.pending = False
            elif ch == "\b":
                if self.c > 0:
                    self.c -= 1
                self.pending = False
            elif ch == "\t":
                self.c = min(self.cols - 1, (self.c // 8 + 1) * 8)
            elif ord(ch) < 0x20 or ord(ch) == 0x7f:
                pass
            else:
                self._put(ch)
            i += 1

    def lines(self):
        g = self.last_alt if self.alt is None and self.last_alt is not None else self.grid
        return ["".join(row).rstrip() for row in g]


def render(data, encoding, cols=100, rows=30):
    s = Screen(cols, rows)
    s.feed(data.decode(encoding, "replace"))
    return s.lines()


if __name__ == "__main__":
    a = sys.argv[1:]
    if len(a) < 2:
        print(__doc__)
        sys.exit(2)
    cols = int(a[2]) if len(a) > 2 else 100
    rows = int(a[3]) if len(a) > 3 else 30
    data = open(a[0], "rb").read()
    for line in render(data, a[1], cols, rows):
        sys.stdout.write(line + "\n")
