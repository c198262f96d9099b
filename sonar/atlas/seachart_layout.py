"""The sea chart's layout: plain data in, geometry out.

Pure arithmetic, no Django: the page (sonar/atlas/seachart.py) and a printed poster draw from
the same layout. The caller gives each resource as a `Point` (its two axes, its title, its
accessible name, its shape and link), the words to draw in the reader's language (`Words`) and
the bands of the axes (`Axes`); `lay_out` returns one `Variant` per geometry: where each node,
label, numbered circle, caption and ring goes.

Horizontal axis, `focus`: -100 "centred on the solution" (left) to 100 "centred on the cultural
conditions of change" (right). Vertical axis, `maturity`: -100 "rooted in practice" (bottom) to
100 "emerging" (top).

Rules it guarantees, checked by tests/atlas/test_seachart_layout.py (properties, with
hypothesis), test_map.py and test_map_ceiling.py:
- no two visible labels overlap, and no label covers a node or the chart's own captions;
- every node's centre lies inside the plot, and the same input always gives the same drawing;
- nodes at the same position are spread on a small spiral, so each one can be clicked;
- the selected resource and the resources it is linked to always get a label;
- a label that finds no room is dropped from view and shown on hover or focus only, at a place
  where it covers no visible label (or not at all: the link keeps its accessible name);
- a drawing holds at most CEILING marks, and no region of the chart more nodes than it has room
  for: beyond, the most crowded regions (a focus band crossed with a maturity band, the
  catalogue's own filters) are drawn as one numbered circle that links to the catalogue filtered
  to that region. The selection and its relations are always drawn on their own; every resource
  is drawn once, on its own or counted in one circle.
"""

import dataclasses
import functools
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

# Glyph advances of a wide system sans-serif (DejaVu Sans, Verdana-like), in ems, by class of
# character; measured in Chromium, the estimate stays within 5 % of the rendered width, and
# TEXT_MARGIN covers the rest. Narrower fonts (Segoe UI, Roboto, Arial) only leave more room.
NARROW_CHARS = frozenset("ilj.,:;'’|!")
THIN_CHARS = frozenset("ftrI()[] -")
WIDE_CHARS = frozenset("mwMW…")
TEXT_MARGIN = 1.07
LABEL_GAP = 2.5  # vertical room kept between two labels
LINE_HEIGHT = 1.2  # in ems
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
# At most this many marks (nodes and numbered circles) in one drawing. On a phone (343 CSS px
# wide) the chart grows to 900 units tall at 300 nodes, where each still keeps a target of its
# own (tests/browser/test_map.py clicks every one); past it, targets overlap and most names
# only show on hover. Weight: a node costs about 0.7 KB of HTML per drawing, so a page at the
# ceiling weighs about 420 KB (50 KB compressed), against 1.3 MB at 1,000 nodes before.
CEILING = 300
# A node needs a square of CROWD target radii a side to stay easy to pick: a region with more
# nodes than its area allows is drawn as one numbered circle, whatever the total.
CROWD = 1.6
WORD_FONT = 9  # the word under a numbered circle's count
# The selection's relations drawn on their own, at most (all are listed in the panel).
RELATED_SHOWN = 60


@dataclass(frozen=True)
class Point:
    """A resource as the layout needs it: plain values, already in the reader's language."""

    slug: str
    title: str  # the label's text
    name: str  # the link's accessible name: title, kind, visions
    vision: str  # the vision its colour and shape stand for
    shape: str  # circle, square, diamond, triangle or star
    href: str
    focus: int  # -100 to 100
    maturity: int  # -100 to 100


@dataclass(frozen=True)
class Axes:
    """The three bands of each axis: a position whose value is above `limit` in absolute
    value leaves the middle band. The band names are those of the catalogue's filters."""

    limit: float
    focus: tuple  # names of the low, middle and high bands
    maturity: tuple

    def band(self, value, names):
        if value < -self.limit:
            return names[0]
        if value > self.limit:
            return names[2]
        return names[1]

    def region(self, point):
        """A point's region of the chart: its focus band and its maturity band."""
        return self.band(point.focus, self.focus), self.band(point.maturity, self.maturity)

    @property
    def edges(self):
        """The band limits on both axes, from -100 to 100."""
        return (-100, -self.limit - 0.5, self.limit + 0.5, 100)


@dataclass(frozen=True)
class Words:
    """Every text the chart draws, in the reader's language: the axis captions, the zone's
    name, and how the numbered circles read (functions, as they depend on the count)."""

    top: str  # the emerging end of the maturity axis
    bottom: str
    left: str  # the solution end of the focus axis
    right: str
    zone: str  # the middle of both axes
    count: Callable  # (n) -> the number as shown, grouped by thousands
    unit: Callable  # (n) -> "ressource" or "ressources", under a circle's count
    group_name: Callable  # (count text, n, focus band, maturity band) -> accessible name
    group_hover: Callable  # (count text) -> words shown on hover


@dataclass(frozen=True)
class Geometry:
    """The drawing space of one variant of the chart, in viewBox units."""

    name: str
    width: int
    height: int
    font: float  # label size
    node: float  # radius of a node's mark
    hit: float  # radius of its transparent target: 12 CSS px once the chart is scaled
    line_chars: int  # label width before wrapping
    margin: int = 24  # room for the axis captions

    @property
    def plot(self):
        """The rectangle where node centres may fall: inside the captions, one target in."""
        inset = self.margin + self.hit
        return inset, inset, self.width - inset, self.height - inset


GEOMETRIES = (
    # Shown at about 860 CSS px wide beside the panel: one unit is about one pixel.
    Geometry("wide", width=880, height=640, font=12, node=6.5, hit=12.5, line_chars=15),
    # Shown at about 343 CSS px wide on a phone: taller than wide, so the nodes keep room.
    Geometry("narrow", width=360, height=640, font=11, node=5.5, hit=13, line_chars=14),
)


@dataclass
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self):
        return round(self.x1 - self.x0, 1)

    @property
    def height(self):
        return round(self.y1 - self.y0, 1)

    def overlaps(self, other):
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    def inside(self, x0, y0, x1, y1):
        return self.x0 >= x0 and self.y0 >= y0 and self.x1 <= x1 and self.y1 <= y1

    def rounded(self):
        """The box to a tenth of a unit, as drawn (labels are placed with room to spare)."""
        return Box(*(round(v, 1) for v in (self.x0, self.y0, self.x1, self.y1)))


@dataclass
class Label:
    """A label's text lines, anchor point and the box it covers."""

    lines: list
    x: float
    y: float  # baseline of the first line
    anchor: str  # start, middle or end (SVG text-anchor)
    box: Box
    dy: float = 0  # distance between baselines


@dataclass
class Node:
    slug: str
    title: str
    name: str  # accessible name: title, kind, visions
    vision: str
    shape: str
    href: str
    focus: int
    maturity: int
    x: float = 0
    y: float = 0
    selected: bool = False
    relation: str = ""  # "combines" or "tension" when linked to the selection
    label: Label | None = None
    hover: Label | None = None
    mark: str = ""  # SVG path of the node's shape


@dataclass
class Group:
    """Resources of one region of the chart (a focus band crossed with a maturity band), drawn
    as one numbered circle that links to the catalogue filtered to that region."""

    focus: str  # a focus band (Axes)
    maturity: str  # a maturity band
    slugs: list  # the resources counted, in title order
    name: str  # accessible name
    href: str
    x: float
    y: float
    r: float
    text: str  # the count as shown in the circle
    word: str = ""  # "ressources", under the count when the circle has room for it
    hover: Label | None = None

    @property
    def count(self):
        return len(self.slugs)

    @property
    def target(self):
        """The radius of the link's target: a little beyond the circle, so that the keyboard
        focus ring shows around it."""
        return round(self.r + 3, 1)


@dataclass
class Variant:
    geometry: Geometry
    nodes: list
    groups: list = field(default_factory=list)
    links: list = field(default_factory=list)  # (kind, x1, y1, x2, y2)
    captions: list = field(default_factory=list)  # axis captions and zone label, drawn as text
    rings: list = field(default_factory=list)
    zone: tuple = ()  # cx, cy, rx, ry
    centre: tuple = ()
    clip: tuple = ()  # x, y, width, height of the sea

    grouped: str = ""  # how many resources the numbered circles count, as shown


class Grid:
    """A spatial hash of boxes, so that each placement test looks only at its neighbours."""

    def __init__(self, cell=48):
        self.cell = cell
        self.cells = {}

    def _keys(self, box):
        c = self.cell
        for i in range(int(box.x0 // c), int(box.x1 // c) + 1):
            for j in range(int(box.y0 // c), int(box.y1 // c) + 1):
                yield i, j

    def add(self, box, owner=None):
        for key in self._keys(box):
            self.cells.setdefault(key, []).append((box, owner))

    def count(self, box, ignore=None):
        found = set()
        for key in self._keys(box):
            for other, owner in self.cells.get(key, ()):
                if owner is not ignore and other.overlaps(box):
                    found.add(id(other))
        return len(found)

    def hits(self, box, ignore=None):
        for key in self._keys(box):
            for other, owner in self.cells.get(key, ()):
                if (owner is None or owner is not ignore) and other.overlaps(box):
                    return True
        return False


# Geometry helpers --------------------------------------------------------------------------


def mark_path(shape, x, y, r):
    """An SVG path of one vision's shape, of about the same visual weight as a circle of r."""
    if shape == "circle":
        arc = f"a{r:.1f} {r:.1f} 0 1 0"
        return f"M{x - r:.1f} {y:.1f}{arc} {2 * r:.1f} 0{arc} {-2 * r:.1f} 0Z"
    if shape == "square":
        s = r * 0.9
        return f"M{x - s:.1f} {y - s:.1f}h{2 * s:.1f}v{2 * s:.1f}h{-2 * s:.1f}Z"
    if shape == "diamond":
        s = r * 1.25
        return f"M{x:.1f} {y - s:.1f}L{x + s:.1f} {y:.1f}L{x:.1f} {y + s:.1f}L{x - s:.1f} {y:.1f}Z"
    if shape == "triangle":
        s = r * 1.3
        h = s * math.sqrt(3) / 2
        return f"M{x:.1f} {y - s:.1f}L{x + h:.1f} {y + s / 2:.1f}L{x - h:.1f} {y + s / 2:.1f}Z"
    points = []
    for i in range(10):  # a five-pointed star
        radius = r * 1.35 if i % 2 == 0 else r * 0.6
        angle = -math.pi / 2 + i * math.pi / 5
        points.append(f"{x + radius * math.cos(angle):.1f} {y + radius * math.sin(angle):.1f}")
    return "M" + "L".join(points) + "Z"


def wrap(text, width, most=2):
    """At most `most` lines of about `width` characters, the last cut with an ellipsis."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > most:
        rest = " ".join(lines[most - 1 :])
        lines = [*lines[: most - 1], rest[: width - 1].rstrip() + "…"]
    elif len(lines[-1]) > width + 4:
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def text_width(text, font):
    """An upper estimate of the rendered width of `text` at `font` units."""
    return text_ems(text) * font * TEXT_MARGIN


@functools.lru_cache(maxsize=8192)
def text_ems(text):
    """The width of `text` in ems; labels try many places with the same lines, so it is kept."""
    ems = 0
    for char in text:
        if char in NARROW_CHARS:
            ems += 0.3
        elif char in THIN_CHARS:
            ems += 0.4
        elif char in WIDE_CHARS:
            ems += 0.9
        elif char.isupper():
            ems += 0.72
        elif char.isdigit():
            ems += 0.64
        else:
            ems += 0.6
    return ems


def text_box(lines, x, y_mid, anchor, font):
    """The label's box and first baseline when its block of lines is centred on y_mid."""
    width = max(text_width(line, font) for line in lines)
    height = len(lines) * font * LINE_HEIGHT
    x0 = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    y0 = y_mid - height / 2
    baseline = y0 + font * 0.95
    return Box(x0 - 1, y0, x0 + width + 1, y0 + height), baseline


def candidates(node, lines, g, reach=1):
    """Label positions around a node, the most natural first: right, left, above, below, then
    the corners; `reach` > 1 moves them further out (used for hover labels)."""
    near = g.hit + 2 if node.selected else g.node + 3  # clear of the selection's ring
    gap = near + (reach - 1) * g.font * 1.6
    block = len(lines) * g.font * LINE_HEIGHT
    x, y = node.x, node.y
    yield x + gap, y, "start"
    yield x - gap, y, "end"
    yield x, y - gap - block / 2 + 2, "middle"
    yield x, y + gap + block / 2 - 2, "middle"
    yield x + gap * 0.8, y - gap * 0.8 - block / 2 + 2, "start"
    yield x + gap * 0.8, y + gap * 0.8 + block / 2 - 2, "start"
    yield x - gap * 0.8, y - gap * 0.8 - block / 2 + 2, "end"
    yield x - gap * 0.8, y + gap * 0.8 + block / 2 - 2, "end"
    line = g.font * LINE_HEIGHT / 2
    yield x + gap, y - line, "start"
    yield x + gap, y + line, "start"
    yield x - gap, y - line, "end"
    yield x - gap, y + line, "end"


# Layout ------------------------------------------------------------------------------------


def place_nodes(nodes, g, groups=(), area=None):
    """Positions from the axes; identical positions spread on a spiral; close ones pushed apart.

    The push keeps each mark clear of its neighbours' marks (and of their targets where there
    is room), moving nodes as little as the crowd allows; the numbered circles of `groups` do
    not move, nodes are pushed off them. `area` is the room the nodes share (the whole plot
    unless circles take some).
    """
    x0, y0, x1, y1 = g.plot
    step = g.node * 2 + 3
    seen = {}
    for node in nodes:  # already in a stable order
        key = (node.focus, node.maturity)
        k = seen.get(key, 0)
        seen[key] = k + 1
        node.x = x0 + (node.focus + 100) / 200 * (x1 - x0)
        node.y = y0 + (100 - node.maturity) / 200 * (y1 - y0)
        if k:
            node.x += step * math.sqrt(k) * math.cos(k * GOLDEN_ANGLE)
            node.y += step * math.sqrt(k) * math.sin(k * GOLDEN_ANGLE)

    if area is None:
        area = (x1 - x0) * (y1 - y0)
    spacing = min(g.hit * 2, max(g.node * 2 + 2, math.sqrt(area / max(len(nodes), 1)) * 0.8))
    for _round in range(80):
        grid = {}
        for i, node in enumerate(nodes):
            grid.setdefault((int(node.x // spacing), int(node.y // spacing)), []).append(i)
        moved = False
        for i, a in enumerate(nodes):
            ci, cj = int(a.x // spacing), int(a.y // spacing)
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    for j in grid.get((ci + di, cj + dj), ()):
                        if j <= i:
                            continue
                        b = nodes[j]
                        dx, dy = b.x - a.x, b.y - a.y
                        dist = math.hypot(dx, dy)
                        if dist >= spacing:
                            continue
                        if dist < 0.01:  # exactly on top: part along a fixed direction
                            dx, dy, dist = math.cos(j), math.sin(j), 1
                        push = (spacing - dist) / 2 + 0.05
                        a.x -= dx / dist * push
                        a.y -= dy / dist * push
                        b.x += dx / dist * push
                        b.y += dy / dist * push
                        moved = True
        for i, node in enumerate(nodes):
            for group in groups:  # a few circles at most: each node looks at every one
                clear = group.r + max(g.node + 3, spacing / 2)
                dx, dy = node.x - group.x, node.y - group.y
                dist = math.hypot(dx, dy)
                if dist >= clear:
                    continue
                if dist < 0.01:
                    dx, dy, dist = math.cos(i), math.sin(i), 1
                node.x = group.x + dx / dist * (clear + 0.05)
                node.y = group.y + dy / dist * (clear + 0.05)
                moved = True
            node.x = min(max(node.x, x0), x1)
            node.y = min(max(node.y, y0), y1)
        if not moved:
            break
    for node in nodes:
        node.x, node.y = round(node.x, 1), round(node.y, 1)
        node.mark = mark_path(node.shape, node.x, node.y, g.node)


def place_labels(nodes, g, obstacles, groups=(), hover_text=None):
    """Greedy placement: each label takes the first candidate that stays on the chart and
    touches no other label, no node mark, no numbered circle and no caption; otherwise it is
    hidden until hover. A numbered circle's words ("37 ressources") show on hover too.

    A label may be set on two lines, on one, or on three short ones, whichever fits. The
    selection and its relations go first and, if the usual places are taken, search further
    out, then accept to cover a mark, so that they always show.
    """
    bounds = (2, 2, g.width - 2, g.height - 2)
    labels = Grid()
    marks = Grid()
    for node in nodes:
        r = g.hit + 1 if node.selected else g.node + 1.5  # the selection wears a ring
        marks.add(Box(node.x - r, node.y - r, node.x + r, node.y + r), node)
    circles = Grid()  # the numbered circles, covered only when nothing else is left
    for group in groups:
        r = group.r + 1
        marks.add(Box(group.x - r, group.y - r, group.x + r, group.y + r))
        circles.add(Box(group.x - r, group.y - r, group.x + r, group.y + r))
    for box in obstacles:  # the captions: no label may cover them, hover labels included
        labels.add(box)

    shaped = {}

    def shapes(node):
        """The label's possible layouts, those that show the whole title first."""
        if node.slug not in shaped:
            title, width = node.title, g.line_chars
            whole = [
                wrap(title, width),
                wrap(title, width, 3),
                [title] if len(title) <= width * 3 // 2 else None,
                wrap(title, width * 2 // 3, 3),
                wrap(title, width * 4 // 3, 3),
            ]
            options = []
            for lines in whole:
                if lines and not lines[-1].endswith("…") and lines not in options:
                    options.append(lines)
            options.append(wrap(title, width))  # cut short, as a last resort
            shaped[node.slug] = options
        return shaped[node.slug]

    def weight(node):
        return 1.1 if node.selected or node.relation else 1  # drawn in bold

    def room(node):
        """How many of the node's usual places no mark takes: the least free go first, as
        they have the fewest choices; those with none go last."""
        lines = shapes(node)[0]
        free = 0
        for x, y_mid, anchor in candidates(node, lines, g):
            box, _baseline = text_box(lines, x, y_mid, anchor, g.font)
            free += box.inside(*bounds) and not marks.hits(box, ignore=node)
        return free or 99

    def order(node):
        return (not node.selected, not node.relation, room(node), len(node.title), node.slug)

    def first_free(node, reaches, spare_marks=True, pad=0, avoid=labels, shape_first=False):
        tries = [(reach, lines) for reach in reaches for lines in shapes(node)]
        if shape_first:  # the whole title further away rather than a cut one close by
            tries.sort(key=lambda t: shapes(node).index(t[1]))
        for reach, lines in tries:
            for x, y_mid, anchor in candidates(node, lines, g, reach):
                box, baseline = text_box(lines, x, y_mid, anchor, g.font * weight(node))
                box = Box(box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad)
                # Labels keep a small gap, so that each reads as one with its own node.
                spaced = Box(box.x0 - 1, box.y0 - LABEL_GAP, box.x1 + 1, box.y1 + LABEL_GAP)
                if (
                    box.inside(*bounds)
                    and not avoid.hits(spaced)
                    and not (spare_marks and marks.hits(box, ignore=node))
                ):
                    label = Label(lines, round(x, 1), round(baseline, 1), anchor, box.rounded())
                    label.dy = round(g.font * LINE_HEIGHT, 1)
                    return label
        return None

    def least_covering(node):
        """Where a label of the selection covers the fewest marks, when it must cover one.

        Near the node first; in a crowded corner, where every place near it is taken by
        other labels of the selection, further out until a place is found (the link's line
        and the label's weight tie it to its node)."""
        best, fewest = None, None
        farthest = max(g.width, g.height) / (g.font * 1.6) + 2
        for reach in itertools.count(1):
            if reach >= 8 and (best is not None or reach > farthest):
                break
            for lines in shapes(node):
                for x, y_mid, anchor in candidates(node, lines, g, reach):
                    box, baseline = text_box(lines, x, y_mid, anchor, g.font * weight(node))
                    spaced = Box(box.x0 - 1, box.y0 - LABEL_GAP, box.x1 + 1, box.y1 + LABEL_GAP)
                    if not box.inside(*bounds) or labels.hits(spaced):
                        continue
                    covered = marks.count(box, ignore=node) + 100 * circles.hits(box)
                    if fewest is None or covered < fewest:
                        best = Label(lines, round(x, 1), round(baseline, 1), anchor, box.rounded())
                        best.dy = round(g.font * LINE_HEIGHT, 1)
                        fewest = covered
        return best

    hidden = []
    for node in sorted(nodes, key=order):
        if node.selected or node.relation:
            label = first_free(node, range(1, 6)) or least_covering(node)
        else:
            label = first_free(node, (1,))
        if label:
            node.label = label
            labels.add(label.box, node)
        else:
            hidden.append(node)
    # Hover labels may cover marks and one another (one shows at a time), never a label.
    for node in hidden:
        node.hover = first_free(node, range(1, 5), spare_marks=False, pad=3, shape_first=True)
    for group in groups:
        group.hover = group_hover(group, g, labels, bounds, hover_text(group.text))


def group_hover(group, g, labels, bounds, text):
    """The words of a numbered circle, below it, above it, or beside it: where they cover no
    label always shown (None if nowhere: the link keeps its accessible name)."""
    lines = [text]
    gap = group.r + 5
    block = g.font * LINE_HEIGHT
    x, y = group.x, group.y
    for cx, cy, anchor in (
        (x, y + gap + block / 2, "middle"),
        (x, y - gap - block / 2, "middle"),
        (x + gap, y, "start"),
        (x - gap, y, "end"),
    ):
        box, baseline = text_box(lines, cx, cy, anchor, g.font)
        box = Box(box.x0 - 3, box.y0 - 3, box.x1 + 3, box.y1 + 3)
        if box.inside(*bounds) and not labels.hits(box):
            return Label(lines, round(cx, 1), round(baseline, 1), anchor, box.rounded(), dy=block)
    return None


def caption_box(x, y, text, anchor, font, vertical=False):
    width = text_width(text, font) * 1.05  # captions are bold
    if vertical:  # text rotated a quarter turn around (x, y)
        return Box(x - font, y - width / 2, x + font * 0.4, y + width / 2)
    x0 = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return Box(x0, y - font, x0 + width, y + font * 0.35)


def region_box(g, axes, focus, maturity):
    """The part of the plot a region covers, in viewBox units."""
    x0, y0, x1, y1 = g.plot
    edges = axes.edges
    i, j = axes.focus.index(focus), axes.maturity.index(maturity)
    return Box(
        x0 + (edges[i] + 100) / 200 * (x1 - x0),
        y0 + (100 - edges[j + 1]) / 200 * (y1 - y0),
        x0 + (edges[i + 1] + 100) / 200 * (x1 - x0),
        y0 + (100 - edges[j]) / 200 * (y1 - y0),
    )


def capacity(g, axes):
    """How many nodes one region holds while each keeps room to be picked (regions are about
    equal: the middle one stands for all)."""
    box = region_box(g, axes, axes.focus[1], axes.maturity[1])
    return int((box.x1 - box.x0) * (box.y1 - box.y0) / (CROWD * g.hit) ** 2)


def crowded_regions(regions, kept, g, axes):
    """The regions drawn as numbered circles: the most crowded first, until the drawing holds
    at most CEILING marks and no region more nodes than it has room for. Points whose slug
    is in `kept` (the selection and its relations) stay on their own wherever they are.

    `regions` is {(focus, maturity): [point…]}; returns the same for the regions grouped,
    with the points each circle counts.
    """
    order = [(f, m) for m in reversed(axes.maturity) for f in axes.focus]
    room = capacity(g, axes)
    marks = sum(len(members) for members in regions.values())
    grouped = {}
    for key in sorted(regions, key=lambda k: (-len(regions[k]), order.index(k))):
        members = regions[key]
        if marks <= CEILING and len(members) <= room:
            break  # the regions that follow are smaller
        counted = [r for r in members if r.slug not in kept]
        if len(counted) > 1:
            grouped[key] = counted
            marks -= len(counted) - 1
    return grouped


def make_group(key, members, g, axes, words, href):
    focus, maturity = key
    box = region_box(g, axes, focus, maturity)
    text = words.count(len(members))
    largest = min(box.x1 - box.x0, box.y1 - box.y0, 8 * g.hit) * 0.3
    fits = text_width(text, g.font * 1.1) / 2 + 5  # the count is bold
    r = min(max(fits, g.hit + 2, 3.2 * math.sqrt(len(members))), largest)
    word = words.unit(len(members))
    if text_width(word, WORD_FONT) / 2 + 6 > r:
        word = ""
    return Group(
        focus=focus,
        maturity=maturity,
        slugs=[m.slug for m in members],
        name=words.group_name(text, len(members), focus, maturity),
        href=href(focus, maturity),
        x=round((box.x0 + box.x1) / 2, 1),
        y=round((box.y0 + box.y1) / 2, 1),
        r=round(r, 1),
        text=text,
        word=word,
    )


def fit(g, count):
    """The phone chart grows taller with the number of nodes, so that a crowded chart still
    leaves each node its own spot; the page scrolls down, never sideways."""
    if g.name != "narrow" or count <= 100:
        return g
    return dataclasses.replace(g, height=min(900, g.height + round((count - 100) * 1.3)))


def lay_out(points, selection, related, g, axes, words, region_href):
    """One variant of the chart for these points (already filtered, in title order).

    `selection` is the chosen point's slug (or ""), `related` maps the slugs linked to it to
    "combines" or "tension"; `region_href(focus, maturity)` is a numbered circle's link.
    """
    present = {p.slug for p in points}
    kept = {selection, *sorted(slug for slug in related if slug in present)[:RELATED_SHOWN]}
    regions = {}
    for point in points:
        regions.setdefault(axes.region(point), []).append(point)
    base, g = g, fit(g, len(points))
    grouped = crowded_regions(regions, kept, g, axes)
    if grouped:  # fewer marks, a shorter phone chart: its regions hold fewer nodes
        drawn = len(points) - sum(len(members) - 1 for members in grouped.values())
        g = fit(base, drawn)
        grouped = crowded_regions(regions, kept, g, axes)
    counted = {p.slug for members in grouped.values() for p in members}
    groups = [
        make_group(key, members, g, axes, words, region_href) for key, members in grouped.items()
    ]
    nodes = [
        Node(
            **dataclasses.asdict(point),
            selected=point.slug == selection,
            relation=related.get(point.slug, ""),
        )
        for point in points
        if point.slug not in counted
    ]
    x0, y0, x1, y1 = g.plot
    area = (x1 - x0) * (y1 - y0) * (1 - len(groups) / 9)
    place_nodes(nodes, g, groups, area=max(area, (x1 - x0) * (y1 - y0) / 9))

    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    font = g.font
    captions = [
        # (text, x, y, anchor, rotation)
        ("↑ " + words.top, g.width / 2, g.margin - 8, "middle", 0),
        ("↓ " + words.bottom, g.width / 2, g.height - 9, "middle", 0),
        ("← " + words.left, g.margin - 9, g.height / 2, "middle", -90),
        (words.right + " →", g.width - g.margin + 9, g.height / 2, "middle", 90),
    ]
    obstacles = [
        caption_box(x, y, text, anchor, font, vertical=bool(rotation))
        for text, x, y, anchor, rotation in captions
    ]
    # The journal's pluridisciplinary zone: the middle band of both axes.
    rx = axes.limit / 100 * (x1 - x0) / 2
    ry = axes.limit / 100 * (y1 - y0) / 2
    zone_y = cy - ry + font + 4
    obstacles.append(caption_box(cx, zone_y, words.zone, "middle", font * 0.95))
    captions.append((words.zone, cx, zone_y, "middle", 0))
    place_labels(nodes, g, obstacles, groups, hover_text=words.group_hover)

    by_slug = {node.slug: node for node in nodes}
    chosen = by_slug.get(selection)
    links = []
    if chosen:
        for node in nodes:
            if node.relation:
                links.append((node.relation, chosen.x, chosen.y, node.x, node.y))
    step = min(x1 - x0, y1 - y0) / 2 / 4
    far = math.hypot(x1 - x0, y1 - y0) / 2
    rings = [round(step * i, 1) for i in range(1, int(far // step) + 2)]
    return Variant(
        geometry=g,
        nodes=nodes,
        groups=groups,
        links=links,
        captions=captions,
        rings=rings,
        zone=(round(cx, 1), round(cy, 1), round(rx, 1), round(ry, 1)),
        centre=(round(cx, 1), round(cy, 1)),
        clip=(g.margin, g.margin, g.width - 2 * g.margin, g.height - 2 * g.margin),
        grouped=words.count(sum(group.count for group in groups)) if groups else "",
    )
