package pdfkit

import "strings"

// Header is the heading of an official paper (Decree 30/2020): on the left
// the governing body over the issuing unit (bold), a short rule and the
// number line; on the right the national name (bold) over the motto (bold,
// underlined) and the italic place-and-date line.
type Header struct {
	Governing, Unit string // printed in capitals
	Number          string // "Số: …", one line; may be empty
	Nation, Motto   string
	DateLine        string  // "Nghĩa Hưng Đông, ngày 03 tháng 02 năm 2026"; may be empty
	Size            float64 // pt, 11 by default; the motto and the date take one more
}

// OfficeHeader draws h from the top margin and returns the y under it. The
// blocks are sized to their text: the right block is as wide as the national
// name needs, the issuing body takes the rest; a unit's name breaks before
// its place ("ỦY BAN NHÂN DÂN / XÃ NGHĨA HƯNG ĐÔNG") and shrinks before it
// would break inside it; the date line breaks between place and date or not
// at all.
func (d *Doc) OfficeHeader(h Header) float64 {
	p := d.PDF
	hs := h.Size
	if hs == 0 {
		hs = 11
	}
	y0 := d.Top
	d.Font("B", hs)
	rightW := min(max(p.GetStringWidth(Clean(h.Nation))+6, d.Width*0.45), d.Width*0.58)
	leftW := d.Width - rightW - 2
	leftX, rightX := d.Left, d.Left+d.Width-rightW
	lines := func(ls []string, x, w, size float64, y float64) float64 {
		for _, l := range ls {
			p.SetXY(x, y)
			p.CellFormat(w, size*0.45, l, "", 0, "C", false, 0, "")
			y += size * 0.45
		}
		return y
	}

	y := y0
	if gov := strings.TrimSpace(Clean(h.Governing)); gov != "" {
		ls, sz := d.nameLines(strings.ToUpper(gov), "", hs, leftW)
		y = lines(ls, leftX, leftW, sz, y)
	}
	ls, sz := d.nameLines(strings.ToUpper(Clean(h.Unit)), "B", hs, leftW)
	y = lines(ls, leftX, leftW, sz, y)
	p.SetLineWidth(0.3)
	rule := min(leftW/3, 25)
	p.Line(leftX+(leftW-rule)/2, y+0.8, leftX+(leftW+rule)/2, y+0.8)
	y += 3
	if h.Number != "" {
		ls, sz := d.FitLines(Glue(h.Number), "", hs, hs-3, leftW, 1)
		y = lines(ls, leftX, leftW, sz, y)
	}
	leftEnd := y

	y = y0
	ls, sz = d.FitLines(Glue(h.Nation), "B", hs, hs-3, rightW, 1)
	lines(ls[:1], rightX, rightW, sz, y)
	y += hs * 0.45
	ls, _ = d.FitLines(Glue(h.Motto), "B", hs+1, hs-2, rightW, 1)
	mw := p.GetStringWidth(ls[0])
	y = lines(ls[:1], rightX, rightW, hs+1, y)
	p.Line(rightX+(rightW-mw)/2, y+0.3, rightX+(rightW+mw)/2, y+0.3)
	y += 3
	if line := Clean(h.DateLine); line != "" {
		if i := strings.Index(line, "ngày"); i > 0 {
			line = Glue(line[:i]) + " " + Glue(line[i:])
		}
		ls, sz := d.FitLines(line, "I", hs+1, hs-1, rightW, 1)
		for _, l := range ls {
			p.SetXY(rightX, y)
			p.CellFormat(rightW, sz*0.48, l, "", 0, "C", false, 0, "")
			y += sz * 0.48
		}
	}
	return max(leftEnd, y)
}

// placeWords start the place part of a unit's name.
var placeWords = []string{"THỊ TRẤN", "THỊ XÃ", "THÀNH PHỐ", "ĐẶC KHU", "PHƯỜNG", "HUYỆN", "QUẬN", "TỈNH", "XÃ"}

// compounds are words of a unit's name that read as one ("HÀNH CHÍNH
// CÔNG"): a three-line name breaks between them, not inside.
var compounds = strings.NewReplacer(
	"HÀNH CHÍNH CÔNG", "HÀNH\u00a0CHÍNH\u00a0CÔNG", "NHÂN DÂN", "NHÂN\u00a0DÂN", "TRUNG TÂM", "TRUNG\u00a0TÂM",
	"PHỤC VỤ", "PHỤC\u00a0VỤ", "MỘT CỬA", "MỘT\u00a0CỬA", "BỘ PHẬN", "BỘ\u00a0PHẬN")

// GluePlace glues the place at the end of a unit's name ("xã Nghĩa Hưng
// Đông" never breaks), and the words before it into one token when body is
// true (capitals: a few compounds are glued in any case).
func GluePlace(s string, body bool) string {
	words := strings.Fields(s)
	for i := 1; i < len(words); i++ {
		for _, pw := range placeWords {
			n := len(strings.Fields(pw))
			if i+n <= len(words) && strings.ToUpper(strings.Join(words[i:i+n], " ")) == pw {
				head := strings.Join(words[:i], " ")
				if body {
					head = Glue(head)
				} else {
					head = compounds.Replace(head)
				}
				return head + " " + Glue(strings.Join(words[i:], " "))
			}
		}
	}
	return strings.Join(words, " ")
}

// nameLines lays out a unit's name in width w: two lines (body / place) at
// size down to size-1, else up to three lines with the place whole, down to
// size-2.
func (d *Doc) nameLines(s, style string, size, w float64) ([]string, float64) {
	glued := GluePlace(s, true)
	lines, sz := d.FitLines(glued, style, size, size-1, w, 2)
	if len(lines) <= 2 && d.Fits(glued, w) {
		return lines, sz
	}
	return d.FitLines(GluePlace(s, false), style, size, size-2, w, 3)
}

// FitLines wraps s to w at the largest size from size down to minSize that
// needs at most maxLines lines with no word cut, and sets that font.
func (d *Doc) FitLines(s, style string, size, minSize float64, w float64, maxLines int) ([]string, float64) {
	for ; ; size -= 0.5 {
		d.Font(style, size)
		lines := d.Split(s, w)
		if size-0.5 < minSize || (len(lines) <= maxLines && d.Fits(s, w)) {
			return lines, size
		}
	}
}
