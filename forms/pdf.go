package forms

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"

	"fyne.io/fyne/v2/theme"
	"github.com/jung-kurt/gofpdf"
	"github.com/skip2/go-qrcode"

	"motcua/app"
)

const (
	family   = "noto"
	bodySize = 12.0 // pt
	lineH    = 6.0  // mm, for body text
	mmPerPt  = 25.4 / 72
)

// fontBytes holds the four Noto Sans faces, fetched once. gofpdf parses a
// face each time it is added to a document, so doc adds a face only when the
// form first uses it.
//
// gofpdf also writes into the bytes it is given (it pads font tables in
// place while subsetting), so the cache is a private clone of Fyne's
// resources, and every document parses its own copy: sharing one slice
// between documents, or with Fyne's renderer, is a data race.
var fontBytes = sync.OnceValue(func() map[string][]byte {
	return map[string][]byte{
		"":   bytes.Clone(theme.DefaultTextFont().Content()),
		"B":  bytes.Clone(theme.DefaultTextBoldFont().Content()),
		"I":  bytes.Clone(theme.DefaultTextItalicFont().Content()),
		"BI": bytes.Clone(theme.DefaultTextBoldItalicFont().Content()),
	}
})

// doc wraps one gofpdf document with the layout rules shared by every form.
type doc struct {
	pdf   *gofpdf.Fpdf
	set   *formSet
	kind  Kind
	form  formText
	fonts map[string]bool
	err   error

	left, right, top, bottom float64 // margins, mm
	width                    float64 // content width

	style string
	size  float64

	footerRef string // "Mẫu số 01 ban hành kèm theo …"
	copyLabel string // "Liên 1: Lưu tại cơ quan", printed on every page of the copy
	copyStart int    // first page of the current copy
	copyN     int
	pending   *string // label of the copy that starts on the next page

	footerNote string // a second footer line (the register's daily digest)
}

func newDoc(o Office, k Kind, landscape bool) (*doc, error) {
	set, err := formSetFor(o.FormSet)
	if err != nil {
		return nil, err
	}
	orient := "P"
	if landscape {
		orient = "L"
	}
	pdf := gofpdf.New(orient, "mm", "A4", "")
	d := &doc{pdf: pdf, set: set, kind: k, form: set.Forms[k], fonts: map[string]bool{},
		left: 20, right: 15, top: 15, bottom: 18}
	if landscape {
		d.left, d.right = 12, 10
	}
	pw, _ := pdf.GetPageSize()
	d.width = pw - d.left - d.right
	pdf.SetMargins(d.left, d.top, d.right)
	pdf.SetAutoPageBreak(true, d.bottom)
	pdf.SetCellMargin(1)
	// Fixed dates keep the output reproducible for a given input.
	pdf.SetCreationDate(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	pdf.SetModificationDate(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	pdf.SetTitle(d.clean(d.form.Title), true)
	pdf.SetCreator("Một Cửa", true)
	if d.form.Code != "" {
		d.footerRef = d.clean(fill(d.common("form_ref"), "code", d.form.Code, "circular", set.Name))
	}
	pdf.SetHeaderFunc(d.pageHeader)
	pdf.SetFooterFunc(d.pageFooter)
	return d, nil
}

// output finishes the document.
func (d *doc) output() ([]byte, error) {
	d.endCopy()
	if d.err != nil {
		return nil, d.err
	}
	var buf bytes.Buffer
	if err := d.pdf.Output(&buf); err != nil {
		return nil, app.E("forms", app.KindOther, err)
	}
	return buf.Bytes(), nil
}

// clean normalises text for drawing (see CleanText).
func (d *doc) clean(s string) string { return CleanText(s) }

// CleanText normalises text for a PDF: NFC (gofpdf does no shaping, so
// decomposed marks print in the wrong place), no control characters, and only
// runes the font's width table can index (gofpdf panics beyond the Basic
// Multilingual Plane). Every PDF of the project draws through it.
func CleanText(s string) string {
	s = app.NFC(s)
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t' || r == '\r':
			return ' '
		case unicode.IsControl(r):
			return -1
		case r > 0xFFFF:
			return '?'
		}
		return r
	}, s)
}

// FontFamily is the family name AddFont registers.
const FontFamily = family

// AddFont registers one Noto Sans face ("", "B", "I" or "BI") in pdf, from a
// private copy of the bytes (gofpdf writes into them).
func AddFont(pdf *gofpdf.Fpdf, face string) {
	pdf.AddUTF8FontFromBytes(family, face, bytes.Clone(fontBytes()[face]))
}

// label is a form label (or a common one) with placeholders filled.
func (d *doc) label(key string, kv ...string) string {
	v, ok := d.form.Labels[key]
	if !ok {
		v, ok = d.set.Common[key]
	}
	if !ok && d.err == nil {
		d.err = app.E("forms", app.KindOther, app.M(app.MsgFormLabelMissing, d.set.ID, key, d.kind))
	}
	return fill(v, kv...)
}

func (d *doc) common(key string) string { return d.label(key) }

// font selects the Noto face; style may carry "U" for underline.
func (d *doc) font(style string, size float64) {
	face := strings.ReplaceAll(style, "U", "")
	if face == "IB" {
		face = "BI"
	}
	if !d.fonts[face] {
		AddFont(d.pdf, face)
		d.fonts[face] = true
	}
	d.pdf.SetFont(family, style, size)
	d.style, d.size = style, size
}

// --- pages -----------------------------------------------------------------

func (d *doc) pageHeader() {
	if d.pending != nil {
		d.copyN++
		d.copyLabel, d.copyStart = *d.pending, d.pdf.PageNo()
		d.pending = nil
	}
	if d.copyLabel == "" {
		return
	}
	style, size := d.style, d.size
	d.font("I", 9)
	d.pdf.SetXY(d.left, 7)
	d.pdf.CellFormat(d.width, 4, d.copyLabel, "", 0, "R", false, 0, "")
	d.pdf.SetXY(d.left, d.top)
	if style != "" || size != 0 {
		d.font(style, size)
	}
}

func (d *doc) pageFooter() {
	style, size := d.style, d.size
	_, ph := d.pdf.GetPageSize()
	d.font("I", 8)
	d.pdf.SetTextColor(90, 90, 90)
	d.pdf.SetXY(d.left, ph-d.bottom+5)
	if d.footerRef != "" {
		d.pdf.CellFormat(d.width*0.75, 4, d.footerRef, "", 0, "L", false, 0, "")
	}
	if d.footerNote != "" {
		d.pdf.SetXY(d.left, ph-d.bottom+9)
		d.pdf.CellFormat(d.width, 4, d.footerNote, "", 0, "L", false, 0, "")
	}
	page := d.pdf.PageNo() - d.copyStart + 1
	d.pdf.SetXY(d.left+d.width*0.75, ph-d.bottom+5)
	d.pdf.CellFormat(d.width*0.25, 4, d.clean(fill(d.common("page"), "n", fmt.Sprint(page), "total", d.totalAlias())), "", 0, "R", false, 0, "")
	d.pdf.SetTextColor(0, 0, 0)
	if style != "" || size != 0 {
		d.font(style, size)
	}
}

func (d *doc) totalAlias() string { return fmt.Sprintf("{nb%d}", d.copyN) }

// beginCopy starts a new copy (liên) on a new page; label may be empty. The
// copy's state switches in the page header: gofpdf draws the previous page's
// footer inside AddPage, and that footer still belongs to the previous copy.
func (d *doc) beginCopy(label string) {
	d.endCopy()
	d.pending = &label
	d.pdf.AddPage()
}

func (d *doc) endCopy() {
	if d.copyN > 0 {
		d.pdf.RegisterAlias(d.totalAlias(), fmt.Sprint(d.pdf.PageNo()-d.copyStart+1))
	}
}

func (d *doc) pageBottom() float64 {
	_, ph := d.pdf.GetPageSize()
	return ph - d.bottom
}

// ensure moves to a new page when h millimetres do not fit on this one.
func (d *doc) ensure(h float64) bool {
	if d.pdf.GetY()+h > d.pageBottom() {
		d.pdf.AddPage()
		return true
	}
	return false
}

// --- header block ----------------------------------------------------------

// header draws the QR code (top left), the issuing body on the left, the
// national motto on the right, the number line under the left block and the
// italic place-and-date line under the right one.
func (d *doc) header(o Office, number string, when time.Time, qr string) {
	p := d.pdf
	const qrSize = 24.0
	y0 := d.top
	x := d.left
	qrW := 0.0
	if qr != "" {
		d.qr(qr, x, y0-1, qrSize)
		qrW = qrSize + 2
	}
	rightW := 84.0
	if d.width > 200 {
		rightW = 110
	}
	leftX := x + qrW
	leftW := min(d.width-qrW-rightW-2, 90)
	rightX := d.left + d.width - rightW

	// left: governing body over the issuing unit, short rule under it
	y := y0
	d.font("", 11)
	if gov := d.clean(o.Agency.GoverningBody); gov != "" {
		for _, l := range d.split(strings.ToUpper(gov), leftW) {
			p.SetXY(leftX, y)
			p.CellFormat(leftW, 5, l, "", 0, "C", false, 0, "")
			y += 5
		}
	}
	d.font("B", 11)
	for _, l := range d.split(strings.ToUpper(d.clean(o.Agency.Name)), leftW) {
		p.SetXY(leftX, y)
		p.CellFormat(leftW, 5, l, "", 0, "C", false, 0, "")
		y += 5
	}
	p.SetLineWidth(0.3)
	rule := min(leftW/3, 25)
	p.Line(leftX+(leftW-rule)/2, y+0.8, leftX+(leftW+rule)/2, y+0.8)
	y += 3
	if number != "" {
		// "Số: {mã hồ sơ}/HDHS" is long: shrink it to one line before wrapping.
		number = d.clean(number)
		size := 11.0
		d.font("", size)
		for size > 9 && p.GetStringWidth(number)+2 > leftW {
			size -= 0.5
			d.font("", size)
		}
		for _, l := range d.split(number, leftW) {
			p.SetXY(leftX, y)
			p.CellFormat(leftW, 5, l, "", 0, "C", false, 0, "")
			y += 5
		}
	}
	leftEnd := y

	// right: Quốc hiệu, Tiêu ngữ underlined, date line
	y = y0
	size := 11.0
	d.font("B", size)
	nation := d.clean(d.common("nation"))
	for size > 8 && p.GetStringWidth(nation) > rightW-1 {
		size -= 0.5
		d.font("B", size)
	}
	p.SetXY(rightX, y)
	p.CellFormat(rightW, 5, nation, "", 0, "C", false, 0, "")
	y += 5
	d.font("B", 12)
	motto := d.clean(d.common("motto"))
	mw := p.GetStringWidth(motto)
	p.SetXY(rightX, y)
	p.CellFormat(rightW, 5.5, motto, "", 0, "C", false, 0, "")
	y += 5.5
	p.Line(rightX+(rightW-mw)/2, y+0.3, rightX+(rightW+mw)/2, y+0.3)
	y += 3
	place := o.Agency.Place
	if place == "" {
		place = o.Agency.Name
	}
	if !when.IsZero() {
		w := when.In(app.Vietnam)
		line := d.clean(fill(d.common("date_line"), "place", d.clean(place),
			"dd", fmt.Sprintf("%02d", w.Day()), "mm", fmt.Sprint(int(w.Month())), "yyyy", fmt.Sprint(w.Year())))
		d.font("I", 12)
		for _, l := range d.split(line, rightW) {
			p.SetXY(rightX, y)
			p.CellFormat(rightW, 5.5, l, "", 0, "C", false, 0, "")
			y += 5.5
		}
	}
	end := max(leftEnd, y)
	if qr != "" {
		end = max(end, y0+qrSize)
	}
	p.SetXY(d.left, end+4)
}

// qr draws a QR code as vector squares (crisp at any zoom, no image decoding).
func (d *doc) qr(text string, x, y, size float64) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		if d.err == nil {
			d.err = app.E("forms", app.KindOther, err)
		}
		return
	}
	bm := q.Bitmap() // includes the quiet zone
	n := float64(len(bm))
	m := size / n
	d.pdf.SetFillColor(0, 0, 0)
	for r, row := range bm {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			// a hair of overlap hides anti-aliasing seams between squares
			d.pdf.Rect(x+float64(start)*m, y+float64(r)*m, float64(c-start)*m+0.02, m+0.02, "F")
		}
	}
}

// title draws the form title, centred, bold capitals, with optional lines under it.
func (d *doc) title(sub ...string) {
	p := d.pdf
	d.font("B", 13)
	for _, l := range d.split(d.clean(d.form.Title), d.width) {
		p.SetX(d.left)
		p.CellFormat(d.width, 6.5, l, "", 1, "C", false, 0, "")
	}
	for _, s := range sub {
		if s == "" {
			continue
		}
		style := "I"
		if strings.HasPrefix(s, "!") {
			style, s = "B", s[1:]
		}
		d.font(style, 12)
		for _, l := range d.split(d.clean(s), d.width) {
			p.SetX(d.left)
			p.CellFormat(d.width, 6, l, "", 1, "C", false, 0, "")
		}
	}
	p.Ln(3)
}

// --- text ------------------------------------------------------------------

// split wraps text to width w with the current font; never returns no lines.
func (d *doc) split(s string, w float64) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		lines := d.pdf.SplitText(para, w)
		if len(lines) == 0 {
			lines = []string{""}
		}
		out = append(out, lines...)
	}
	return out
}

// seg is a run of text in one style for rich lines.
type seg struct {
	text  string
	style string
}

// rich writes flowing text made of styled runs, wrapping at the right margin,
// starting at indent mm from the left margin (continuation lines too).
func (d *doc) rich(indent float64, segs ...seg) {
	p := d.pdf
	p.SetLeftMargin(d.left + indent)
	p.SetX(d.left + indent)
	for i, s := range segs {
		// clean, but keep the spaces that join runs ("Địa chỉ: " + value)
		text := d.clean(s.text)
		if i < len(segs)-1 && strings.HasSuffix(s.text, " ") {
			text += " "
		}
		if text == "" {
			continue
		}
		d.font(s.style, bodySize)
		p.Write(lineH, text)
	}
	p.Ln(lineH)
	p.SetLeftMargin(d.left)
}

// field writes "label: value" with the value in bold; empty values print dots.
func (d *doc) field(label, value string) {
	d.fieldAt(0, label, value)
}

func (d *doc) fieldAt(indent float64, label, value string) {
	v := d.clean(value)
	if v == "" {
		v = "……………………"
	}
	d.rich(indent, seg{d.clean(label) + ": ", ""}, seg{v, "B"})
}

// fields writes several "label: value" pairs on one line (phone, e-mail).
func (d *doc) fields(pairs ...string) {
	var segs []seg
	for i := 0; i+1 < len(pairs); i += 2 {
		v := d.clean(pairs[i+1])
		if v == "" {
			v = "……………"
		}
		if i > 0 {
			segs = append(segs, seg{";  ", ""})
		}
		segs = append(segs, seg{d.clean(pairs[i]) + ": ", ""}, seg{v, "B"})
	}
	d.rich(0, segs...)
}

// para writes a paragraph in one style.
func (d *doc) para(style, text string) {
	d.rich(0, seg{d.clean(text), style})
}

// gap adds vertical space.
func (d *doc) gap(mm float64) { d.pdf.Ln(mm) }

// --- tables ----------------------------------------------------------------

// hcell is a header cell; span columns wide, rows (1 or 2) tall.
type hcell struct {
	text string
	span int
	rows int
}

// table describes a grid whose rows grow with their text and break across
// pages with the header repeated.
type table struct {
	widths []float64 // mm; scaled to the content width
	aligns []string  // per column: "L", "C", "R"
	head   [][]hcell // one or two header rows
	size   float64   // body font size, pt
	hsize  float64   // header font size
}

const cellPad = 1.2 // mm above and below the text in a cell

func (t *table) lh(size float64) float64 { return size * mmPerPt * 1.3 }

func (t *table) scale(total float64) {
	sum := 0.0
	for _, w := range t.widths {
		sum += w
	}
	for i := range t.widths {
		t.widths[i] = t.widths[i] * total / sum
	}
}

// placed is a header cell with its grid position.
type placed struct {
	hcell
	row, col int
}

func (t *table) layoutHead() []placed {
	var out []placed
	nrows := len(t.head)
	occupied := make([][]bool, nrows)
	for i := range occupied {
		occupied[i] = make([]bool, len(t.widths))
	}
	for r, row := range t.head {
		c := 0
		for _, h := range row {
			for c < len(t.widths) && occupied[r][c] {
				c++
			}
			span, rows := max(h.span, 1), max(h.rows, 1)
			for rr := r; rr < r+rows && rr < nrows; rr++ {
				for cc := c; cc < c+span && cc < len(t.widths); cc++ {
					occupied[rr][cc] = true
				}
			}
			out = append(out, placed{hcell{h.text, span, rows}, r, c})
			c += span
		}
	}
	return out
}

func (t *table) colX(left float64, c int) float64 {
	x := left
	for i := 0; i < c; i++ {
		x += t.widths[i]
	}
	return x
}

func (t *table) spanW(c, span int) float64 {
	w := 0.0
	for i := c; i < c+span && i < len(t.widths); i++ {
		w += t.widths[i]
	}
	return w
}

// headHeight measures the header rows.
func (d *doc) headHeights(t *table, cells []placed) []float64 {
	lh := t.lh(t.hsize)
	hs := make([]float64, len(t.head))
	d.font("B", t.hsize)
	for _, c := range cells {
		if c.rows != 1 {
			continue
		}
		n := len(d.split(d.clean(c.text), t.spanW(c.col, c.span)))
		hs[c.row] = max(hs[c.row], float64(n)*lh+2*cellPad)
	}
	for _, c := range cells {
		if c.rows == 1 {
			continue
		}
		n := len(d.split(d.clean(c.text), t.spanW(c.col, c.span)))
		need := float64(n)*lh + 2*cellPad
		have := 0.0
		for r := c.row; r < c.row+c.rows && r < len(hs); r++ {
			have += hs[r]
		}
		if need > have {
			hs[len(hs)-1] += need - have
		}
	}
	return hs
}

func (d *doc) drawHead(t *table) {
	p := d.pdf
	cells := t.layoutHead()
	hs := d.headHeights(t, cells)
	total := 0.0
	for _, h := range hs {
		total += h
	}
	y0 := p.GetY()
	lh := t.lh(t.hsize)
	p.SetFillColor(235, 235, 235)
	p.SetLineWidth(0.2)
	d.font("B", t.hsize)
	for _, c := range cells {
		x := t.colX(d.left, c.col)
		y := y0
		for r := 0; r < c.row; r++ {
			y += hs[r]
		}
		h := 0.0
		for r := c.row; r < c.row+c.rows && r < len(hs); r++ {
			h += hs[r]
		}
		w := t.spanW(c.col, c.span)
		p.Rect(x, y, w, h, "FD")
		lines := d.split(d.clean(c.text), w)
		ty := y + (h-float64(len(lines))*lh)/2
		for _, l := range lines {
			p.SetXY(x, ty)
			p.CellFormat(w, lh, l, "", 0, "C", false, 0, "")
			ty += lh
		}
	}
	p.SetXY(d.left, y0+total)
}

// draw lays out the rows. A row never splits; when it does not fit, the page
// breaks and the header row is drawn again.
func (d *doc) drawTable(t *table, rows [][]string) {
	p := d.pdf
	t.scale(d.width)
	if t.size == 0 {
		t.size = 11
	}
	if t.hsize == 0 {
		t.hsize = t.size
	}
	lh := t.lh(t.size)
	cells := t.layoutHead()
	headH := 0.0
	for _, h := range d.headHeights(t, cells) {
		headH += h
	}
	measure := func(row []string) ([][]string, float64) {
		d.font("", t.size)
		lines := make([][]string, len(t.widths))
		n := 1
		for i := range t.widths {
			s := ""
			if i < len(row) {
				s = d.clean(row[i])
			}
			lines[i] = d.split(s, t.widths[i])
			n = max(n, len(lines[i]))
		}
		return lines, float64(n)*lh + 2*cellPad
	}
	first := true
	for _, row := range rows {
		lines, h := measure(row)
		if first {
			d.ensure(headH + h)
			d.drawHead(t)
			first = false
		} else if p.GetY()+h > d.pageBottom() {
			p.AddPage()
			d.drawHead(t)
		}
		y := p.GetY()
		d.font("", t.size)
		p.SetLineWidth(0.2)
		for i, w := range t.widths {
			x := t.colX(d.left, i)
			p.Rect(x, y, w, h, "D")
			align := "L"
			if i < len(t.aligns) && t.aligns[i] != "" {
				align = t.aligns[i]
			}
			ty := y + cellPad
			for _, l := range lines[i] {
				p.SetXY(x, ty)
				p.CellFormat(w, lh, l, "", 0, align, false, 0, "")
				ty += lh
			}
		}
		p.SetXY(d.left, y+h)
	}
	if first { // no rows: the header alone
		d.ensure(headH + lh)
		d.drawHead(t)
	}
	p.Ln(2)
}

// --- signatures ------------------------------------------------------------

// sig is a signature block: caption in bold capitals, a note, room to sign,
// and the signer's name.
type sig struct {
	caption string
	note    string
	name    string
}

// signatures draws one block on the right, or two side by side; the blocks
// and their captions stay together on one page.
func (d *doc) signatures(blocks ...sig) {
	p := d.pdf
	if len(blocks) == 0 {
		return
	}
	colW := d.width / 2
	measure := func(b sig) float64 {
		d.font("B", 12)
		h := float64(len(d.split(d.clean(b.caption), colW))) * 6
		d.font("I", 11)
		h += float64(len(d.split(d.clean(b.note), colW))) * 5.5
		return h + 24 + 6
	}
	h := 0.0
	for _, b := range blocks {
		h = max(h, measure(b))
	}
	p.Ln(3)
	d.ensure(h)
	y0 := p.GetY()
	for i, b := range blocks {
		x := d.left + colW
		if len(blocks) > 1 && i == 0 {
			x = d.left
		}
		y := y0
		d.font("B", 12)
		for _, l := range d.split(strings.ToUpper(d.clean(b.caption)), colW) {
			p.SetXY(x, y)
			p.CellFormat(colW, 6, l, "", 0, "C", false, 0, "")
			y += 6
		}
		d.font("I", 11)
		for _, l := range d.split(d.clean(b.note), colW) {
			p.SetXY(x, y)
			p.CellFormat(colW, 5.5, l, "", 0, "C", false, 0, "")
			y += 5.5
		}
		if name := d.clean(b.name); name != "" {
			d.font("B", 12)
			p.SetXY(x, y+24)
			p.CellFormat(colW, 6, name, "", 0, "C", false, 0, "")
		}
	}
	p.SetXY(d.left, y0+h)
}

// recipientsAndSign draws "Nơi nhận:" on the left and a signature block on
// the right, kept together on one page.
func (d *doc) recipientsAndSign(b sig) {
	p := d.pdf
	colW := d.width / 2
	d.font("", 10)
	lines := d.split(d.clean(d.common("recipient_lines")), colW)
	p.Ln(3)
	d.ensure(max(5.5+float64(len(lines))*5, 6+5.5+24+6) + 3)
	y0 := p.GetY()
	d.font("BI", 11)
	p.SetXY(d.left, y0)
	p.CellFormat(colW, 5.5, d.clean(d.common("recipients")), "", 0, "L", false, 0, "")
	d.font("", 10)
	y := y0 + 5.5
	for _, l := range lines {
		p.SetXY(d.left, y)
		p.CellFormat(colW, 5, l, "", 0, "L", false, 0, "")
		y += 5
	}
	p.SetXY(d.left, y0-3) // signatures adds its own 3 mm
	d.signatures(b)
	p.SetY(max(p.GetY(), y))
}
