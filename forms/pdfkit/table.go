package pdfkit

import "strings"

// HeadCell is one header cell spanning Rows × Cols from (Row, Col). Style
// and Size override the table's header font for this cell.
type HeadCell struct {
	Row, Col, Rows, Cols int
	Text                 string
	Style                string
	Size                 float64
}

// Span is a header cell placed by Grid: Cols columns wide, Rows rows tall.
type Span struct {
	Text       string
	Cols, Rows int
}

// Grid places header cells row by row, skipping the columns that a cell
// above already covers (like HTML's colspan and rowspan).
func Grid(ncols int, rows [][]Span) []HeadCell {
	var out []HeadCell
	occupied := make([][]bool, len(rows))
	for i := range occupied {
		occupied[i] = make([]bool, ncols)
	}
	for r, row := range rows {
		c := 0
		for _, h := range row {
			for c < ncols && occupied[r][c] {
				c++
			}
			cols, rs := max(h.Cols, 1), max(h.Rows, 1)
			for rr := r; rr < r+rs && rr < len(rows); rr++ {
				for cc := c; cc < c+cols && cc < ncols; cc++ {
					occupied[rr][cc] = true
				}
			}
			out = append(out, HeadCell{Row: r, Col: c, Rows: rs, Cols: cols, Text: h.Text})
			c += cols
		}
	}
	return out
}

// Table is a bordered grid whose rows grow with their text and never split:
// a row that does not fit goes to the next page, under the header drawn
// again.
type Table struct {
	Widths   []float64 // mm
	Aligns   []string  // per column: "L", "C", "R"; "L" by default
	Head     []HeadCell
	HeadMinH []float64 // minimum height of each header row, optional
	Size     float64   // body font size, pt (11 by default)
	HeadSize float64   // header font size (Size by default)
	Pad      float64   // mm above and below a cell's text (1.2 by default)
	MinRowH  float64   // minimum body row height
	VCentre  bool      // centre the text of body cells vertically
	// NoBreak marks columns whose words must never be cut (codes, ids,
	// glued names): a line of such a cell shrinks its font, down to MinScale
	// of Size (0.6 by default), until its words fit.
	NoBreak  []bool
	MinScale float64
	// Bottom aligns a column's last line with the bottom of the row
	// (a name under the room to sign).
	Bottom []bool
}

// Row is one body row.
type Row struct {
	Cells []string
	Style string // "", "B"
}

// Scale stretches the widths to total mm.
func (t *Table) Scale(total float64) {
	sum := 0.0
	for _, w := range t.Widths {
		sum += w
	}
	for i := range t.Widths {
		t.Widths[i] = t.Widths[i] * total / sum
	}
}

func (t *Table) lh(size float64) float64 { return size * MMPerPt * 1.25 }

func (t *Table) colX(left float64, c int) float64 {
	x := left
	for i := 0; i < c && i < len(t.Widths); i++ {
		x += t.Widths[i]
	}
	return x
}

func (t *Table) spanW(c, n int) float64 {
	w := 0.0
	for i := c; i < c+max(n, 1) && i < len(t.Widths); i++ {
		w += t.Widths[i]
	}
	return w
}

func (t *Table) headRows() int {
	n := 0
	for _, c := range t.Head {
		n = max(n, c.Row+max(c.Rows, 1))
	}
	return n
}

func (t *Table) defaults() {
	if t.Size == 0 {
		t.Size = 11
	}
	if t.HeadSize == 0 {
		t.HeadSize = t.Size
	}
	if t.Pad == 0 {
		t.Pad = 1.2
	}
}

func (t *Table) cellFont(c HeadCell) (string, float64) {
	style, size := "B", t.HeadSize
	if c.Style != "" {
		style = c.Style
		if style == "-" {
			style = ""
		}
	}
	if c.Size != 0 {
		size = c.Size
	}
	return style, size
}

// headHeights measures the header rows.
func (d *Doc) headHeights(t *Table) []float64 {
	n := t.headRows()
	hs := make([]float64, n)
	for i := range hs {
		if i < len(t.HeadMinH) {
			hs[i] = t.HeadMinH[i]
		}
	}
	need := func(c HeadCell) float64 {
		style, size := t.cellFont(c)
		d.Font(style, size)
		return float64(len(d.Split(c.Text, t.spanW(c.Col, c.Cols))))*t.lh(size) + 2*t.Pad
	}
	for _, c := range t.Head {
		if max(c.Rows, 1) == 1 {
			hs[c.Row] = max(hs[c.Row], need(c))
		}
	}
	for _, c := range t.Head {
		if c.Rows <= 1 {
			continue
		}
		have := 0.0
		for r := c.Row; r < c.Row+c.Rows && r < n; r++ {
			have += hs[r]
		}
		if h := need(c); h > have {
			hs[min(c.Row+c.Rows, n)-1] += h - have
		}
	}
	return hs
}

// HeadHeight is the height of the table's header.
func (d *Doc) HeadHeight(t *Table) float64 {
	t.defaults()
	h := 0.0
	for _, v := range d.headHeights(t) {
		h += v
	}
	return h
}

// DrawHead draws the header at the current y and moves under it.
func (d *Doc) DrawHead(t *Table) {
	t.defaults()
	p := d.PDF
	hs := d.headHeights(t)
	y0 := p.GetY()
	total := 0.0
	for _, h := range hs {
		total += h
	}
	p.SetFillColor(235, 235, 235)
	p.SetLineWidth(0.2)
	for _, c := range t.Head {
		x := t.colX(d.Left, c.Col)
		y := y0
		for r := 0; r < c.Row; r++ {
			y += hs[r]
		}
		h := 0.0
		for r := c.Row; r < c.Row+max(c.Rows, 1) && r < len(hs); r++ {
			h += hs[r]
		}
		w := t.spanW(c.Col, max(c.Cols, 1))
		p.Rect(x, y, w, h, "FD")
		style, size := t.cellFont(c)
		d.Font(style, size)
		lh := t.lh(size)
		lines := d.Split(c.Text, w)
		ty := y + (h-float64(len(lines))*lh)/2
		for _, l := range lines {
			p.SetXY(x, ty)
			p.CellFormat(w, lh, l, "", 0, "C", false, 0, "")
			ty += lh
		}
	}
	p.SetXY(d.Left, y0+total)
}

// cellLine is one line of a cell at its font size.
type cellLine struct {
	text string
	size float64
}

// laidRow is a measured body row.
type laidRow struct {
	lines [][]cellLine
	h     float64
}

func (d *Doc) measureRow(t *Table, r Row) laidRow {
	out := laidRow{lines: make([][]cellLine, len(t.Widths))}
	minScale := t.MinScale
	if minScale == 0 {
		minScale = 0.6
	}
	h := t.MinRowH
	for i, w := range t.Widths {
		s := ""
		if i < len(r.Cells) {
			s = r.Cells[i]
		}
		noBreak := i < len(t.NoBreak) && t.NoBreak[i]
		textH := 0.0
		for _, para := range strings.Split(Clean(s), "\n") {
			size := t.Size
			d.Font(r.Style, size)
			for noBreak && size > t.Size*minScale && !d.Fits(para, w) {
				size -= 0.25
				d.Font(r.Style, size)
			}
			for _, l := range d.Split(para, w) {
				out.lines[i] = append(out.lines[i], cellLine{l, size})
				textH += t.lh(size)
			}
		}
		h = max(h, textH+2*t.Pad)
	}
	out.h = h
	return out
}

// RowHeight measures one body row.
func (d *Doc) RowHeight(t *Table, r Row) float64 {
	t.defaults()
	return d.measureRow(t, r).h
}

// DrawTable draws the header and the rows from the current y. keep is the
// height that must follow the last row on its page (a signature block); the
// last row moves to the next page with it when both do not fit.
func (d *Doc) DrawTable(t *Table, rows []Row, keep float64) {
	t.defaults()
	p := d.PDF
	headH := d.HeadHeight(t)
	for i, r := range rows {
		lr := d.measureRow(t, r)
		need := lr.h
		if i == len(rows)-1 {
			need += keep
		}
		if i == 0 {
			d.Ensure(headH + need)
			d.DrawHead(t)
		} else if p.GetY()+need > d.PageBottom() {
			p.AddPage()
			d.DrawHead(t)
		}
		d.drawRow(t, r, lr)
	}
	if len(rows) == 0 {
		d.Ensure(headH + t.lh(t.Size) + keep)
		d.DrawHead(t)
	}
}

func (d *Doc) drawRow(t *Table, r Row, lr laidRow) {
	p := d.PDF
	y := p.GetY()
	p.SetLineWidth(0.2)
	for i, w := range t.Widths {
		x := t.colX(d.Left, i)
		p.Rect(x, y, w, lr.h, "D")
		align := "L"
		if i < len(t.Aligns) && t.Aligns[i] != "" {
			align = t.Aligns[i]
		}
		textH := 0.0
		for _, l := range lr.lines[i] {
			textH += t.lh(l.size)
		}
		ty := y + t.Pad
		switch {
		case i < len(t.Bottom) && t.Bottom[i]:
			ty = y + lr.h - t.Pad - textH
		case t.VCentre:
			ty = y + (lr.h-textH)/2
		}
		for _, l := range lr.lines[i] {
			d.Font(r.Style, l.size)
			lh := t.lh(l.size)
			p.SetXY(x, ty)
			p.CellFormat(w, lh, l.text, "", 0, align, false, 0, "")
			ty += lh
		}
	}
	p.SetXY(d.Left, y+lr.h)
}
