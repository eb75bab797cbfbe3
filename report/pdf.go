package report

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"motcua/app"
	"motcua/forms"
)

// pdfDoc is one landscape A4 document with the helpers the report needs.
type pdfDoc struct {
	p                        *gofpdf.Fpdf
	left, right, top, bottom float64
	width                    float64
	fonts                    map[string]bool
	footNote                 string // left of the page number on every page
}

func newPDF(title string) *pdfDoc {
	p := gofpdf.New("L", "mm", "A4", "")
	d := &pdfDoc{p: p, left: 10, right: 10, top: 12, bottom: 14, fonts: map[string]bool{}}
	pw, _ := p.GetPageSize()
	d.width = pw - d.left - d.right
	p.SetMargins(d.left, d.top, d.right)
	p.SetAutoPageBreak(false, d.bottom)
	p.SetCellMargin(0.8)
	// Fixed dates keep the output reproducible for a given report.
	p.SetCreationDate(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	p.SetModificationDate(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	p.SetTitle(clean(title), true)
	p.SetCreator("Một Cửa", true)
	p.SetFooterFunc(func() {
		_, ph := p.GetPageSize()
		d.font("I", 8)
		p.SetTextColor(90, 90, 90)
		p.SetXY(d.left, ph-d.bottom+5)
		if d.footNote != "" { // the office's daily digest (app.Report.Digest)
			p.CellFormat(d.width*0.8, 4, clean(d.footNote), "", 0, "L", false, 0, "")
			p.SetXY(d.left, ph-d.bottom+5)
		}
		p.CellFormat(d.width, 4, fmt.Sprintf("Trang %d/{nb}", p.PageNo()), "", 0, "R", false, 0, "")
		p.SetTextColor(0, 0, 0)
	})
	return d
}

func (d *pdfDoc) font(style string, size float64) {
	if !d.fonts[style] {
		forms.AddFont(d.p, style)
		d.fonts[style] = true
	}
	d.p.SetFont(forms.FontFamily, style, size)
}

func (d *pdfDoc) output() ([]byte, error) {
	d.p.RegisterAlias("{nb}", fmt.Sprint(d.p.PageNo()))
	var buf bytes.Buffer
	if err := d.p.Output(&buf); err != nil {
		return nil, app.E("report.pdf", app.KindOther, err)
	}
	return buf.Bytes(), nil
}

// clean prepares text for drawing (forms.CleanText).
func clean(s string) string { return forms.CleanText(s) }

// split wraps s to width w in the current font; always at least one line.
func (d *pdfDoc) split(s string, w float64) []string {
	var out []string
	for _, para := range strings.Split(clean(s), "\n") {
		ls := d.p.SplitText(para, w)
		if len(ls) == 0 {
			ls = []string{""}
		}
		out = append(out, ls...)
	}
	return out
}

// box draws a bordered cell with text wrapped and centred vertically.
func (d *pdfDoc) box(x, y, w, h float64, text, style string, size float64, align string) {
	d.p.Rect(x, y, w, h, "D")
	d.font(style, size)
	lh := size * 0.42
	ls := d.split(text, w-1.6)
	ty := y + (h-float64(len(ls))*lh)/2
	for _, l := range ls {
		d.p.SetXY(x, ty)
		d.p.CellFormat(w, lh, l, "", 0, align, false, 0, "")
		ty += lh
	}
}

// centred writes wrapped lines centred in [x, x+w) from y; returns the new y.
func (d *pdfDoc) centred(x, y, w float64, text, style string, size, lh float64) float64 {
	d.font(style, size)
	for _, l := range d.split(text, w) {
		d.p.SetXY(x, y)
		d.p.CellFormat(w, lh, l, "", 0, "C", false, 0, "")
		y += lh
	}
	return y
}

func (d *pdfDoc) pageBottom() float64 {
	_, ph := d.p.GetPageSize()
	return ph - d.bottom
}

// officeHeader draws the governing body over the unit (left, with a short
// rule) and the national motto over the date line (right); returns the y
// under it.
func (d *pdfDoc) officeHeader(ag app.Agency, when time.Time) float64 {
	p := d.p
	y0 := d.top
	leftW, rightW := 100.0, 120.0
	rightX := d.left + d.width - rightW
	y := y0
	if gov := strings.TrimSpace(ag.GoverningBody); gov != "" {
		y = d.centred(d.left, y, leftW, strings.ToUpper(gov), "", 11, 5)
	}
	y = d.centred(d.left, y, leftW, strings.ToUpper(ag.Name), "B", 11, 5)
	p.SetLineWidth(0.3)
	p.Line(d.left+leftW/2-12, y+0.8, d.left+leftW/2+12, y+0.8)
	leftEnd := y + 3

	y = d.centred(rightX, y0, rightW, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "B", 11, 5)
	d.font("B", 12)
	motto := "Độc lập - Tự do - Hạnh phúc"
	mw := p.GetStringWidth(motto)
	y = d.centred(rightX, y, rightW, motto, "B", 12, 5.5)
	p.Line(rightX+(rightW-mw)/2, y+0.3, rightX+(rightW+mw)/2, y+0.3)
	y += 2.5
	if !when.IsZero() {
		y = d.centred(rightX, y, rightW, dateLine(ag, when), "I", 12, 5.5)
	}
	return max(leftEnd, y) + 3
}

// Column widths of the statistics table, mm (277 in all).
var statWidths = [statCols]float64{9, 62, 13, 16, 16, 16, 12.5, 12.5, 12.5, 12.5, 12.5, 12.5, 12.5, 12.5, 12.5, 12.5, 20}

// spaced lets the column-number formulas wrap between terms.
var spaced = strings.NewReplacer("=", " = ", "+", " + ", "/", " / ")

// Heights of the three header rows.
var statHeadH = [3]float64{7.5, 7, 17}

// StatisticsPDF renders the report on A4 landscape: the office header, the
// official title, the period, the table (its header repeated on every page)
// and the signatures.
func StatisticsPDF(rep *app.Report) ([]byte, error) {
	d := newPDF(app.ReportTitle)
	d.footNote = rep.Digest.FooterLine()
	p := d.p
	p.AddPage()
	y := d.officeHeader(rep.Agency, rep.MadeAt)
	y += 2
	y = d.centred(d.left, y, d.width, app.ReportTitle, "B", 13, 6.5)
	y = d.centred(d.left, y+0.5, d.width, periodLine(rep), "I", 11.5, 5.5)
	if s := provisionalLine(rep); s != "" {
		y = d.centred(d.left, y, d.width, "("+s+")", "I", 10.5, 5)
	}
	d.font("I", 9.5)
	p.SetXY(d.left, y)
	p.CellFormat(d.width, 5, "Đơn vị tính: hồ sơ", "", 0, "R", false, 0, "")
	y += 5.5

	xs := [statCols + 1]float64{d.left}
	for i, w := range statWidths {
		xs[i+1] = xs[i] + w
	}
	p.SetLineWidth(0.2)
	header := func(y float64) float64 {
		ys := [4]float64{y}
		for i, h := range statHeadH {
			ys[i+1] = ys[i] + h
		}
		for _, c := range statHeader(rep.By) {
			d.box(xs[c.col], ys[c.row], xs[c.col+c.cols]-xs[c.col], ys[c.row+c.rows]-ys[c.row], c.text, "B", 7.5, "C")
		}
		y = ys[3]
		for i, s := range colNumbers {
			d.box(xs[i], y, statWidths[i], 8, spaced.Replace(s), "I", 5.5, "C")
		}
		return y + 8
	}
	y = header(y)

	for _, l := range lines(rep) {
		style, size := "", 8.5
		if l.bold {
			style = "B"
		}
		d.font(style, size)
		nameLines := d.split(l.name, statWidths[1]-1.6)
		h := max(6.5, float64(len(nameLines))*size*0.42+3)
		if y+h > d.pageBottom() {
			p.AddPage()
			y = header(d.top)
		}
		n, rate := values(l.r)
		cells := make([]string, 0, statCols)
		cells = append(cells, l.no, l.name)
		for _, v := range n {
			cells = append(cells, fmt.Sprint(v))
		}
		cells = append(cells, rateText(rate))
		for i, s := range cells {
			align := "C"
			if i == 1 {
				align = "L"
			}
			d.box(xs[i], y, statWidths[i], h, s, style, size, align)
		}
		y += h
	}

	// Online submissions refused in the period: never received, so in no
	// column (domain.md §3.7), but counted.
	if rep.RefusedOnline > 0 {
		if y+7 > d.pageBottom() {
			p.AddPage()
			y = d.top
		}
		d.font("I", 9.5)
		p.SetXY(d.left, y+1.5)
		p.CellFormat(d.width, 5, fmt.Sprintf("Hồ sơ trực tuyến bị từ chối tiếp nhận trong kỳ (không tính vào số tiếp nhận): %d", rep.RefusedOnline), "", 0, "L", false, 0, "")
		y += 6.5
	}

	// Signatures: kept together, on a new page when they do not fit.
	const signH = 24 // the captions; the signatures go under them, into the margin if need be
	if y+6+signH > d.pageBottom() {
		p.AddPage()
		y = d.top
	} else {
		y += 6
	}
	colW := 110.0
	rightX := d.left + d.width - colW
	d.centred(d.left, y+5.5, colW, "NGƯỜI LẬP BIỂU", "B", 11, 5.5)
	d.centred(d.left, y+11, colW, "(Ký và ghi rõ họ tên)", "I", 10, 5)
	d.centred(rightX, y+5.5, colW, "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", "B", 11, 5.5)
	d.centred(rightX, y+11, colW, "(Ký tên, đóng dấu)", "I", 10, 5)
	return d.output()
}
