package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"motcua/app"
	"motcua/forms/pdfkit"
)

// pdfDoc is one landscape A4 document of the report (pdfkit).
type pdfDoc struct {
	*pdfkit.Doc
	p        *gofpdf.Fpdf
	footNote string // left of the page number on every page
}

func newPDF(title string) *pdfDoc {
	k := pdfkit.New(pdfkit.Options{Landscape: true, Left: 10, Right: 10, Top: 12, Bottom: 14, Title: title})
	d := &pdfDoc{Doc: k, p: k.PDF}
	p := d.p
	p.SetAutoPageBreak(false, d.Bottom)
	p.SetCellMargin(0.8)
	p.SetFooterFunc(func() {
		d.Keep(func() {
			_, ph := p.GetPageSize()
			d.Font("I", 8)
			p.SetTextColor(90, 90, 90)
			p.SetXY(d.Left, ph-d.Bottom+5)
			if d.footNote != "" { // the office's daily digest (app.Report.Digest)
				p.CellFormat(d.Width*0.8, 4, pdfkit.Clean(d.footNote), "", 0, "L", false, 0, "")
				p.SetXY(d.Left, ph-d.Bottom+5)
			}
			p.CellFormat(d.Width, 4, fmt.Sprintf("Trang %d/{nb}", p.PageNo()), "", 0, "R", false, 0, "")
			p.SetTextColor(0, 0, 0)
		})
	})
	return d
}

func (d *pdfDoc) output() ([]byte, error) {
	d.p.RegisterAlias("{nb}", fmt.Sprint(d.p.PageNo()))
	return d.Output()
}

func (d *pdfDoc) centred(x, y, w float64, text, style string, size, lh float64) float64 {
	return d.Centred(x, y, w, text, style, size, lh)
}

// officeHeader draws the heading of the report (pdfkit.OfficeHeader) and
// returns the y under it.
func (d *pdfDoc) officeHeader(ag app.Agency, when time.Time) float64 {
	line := ""
	if !when.IsZero() {
		line = dateLine(ag, when)
	}
	return d.OfficeHeader(pdfkit.Header{Governing: ag.GoverningBody, Unit: ag.Name,
		Nation: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Motto: "Độc lập - Tự do - Hạnh phúc", DateLine: line, Size: 11}) + 3
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
	y = d.centred(d.Left, y, d.Width, app.ReportTitle, "B", 13, 6.5)
	y = d.centred(d.Left, y+0.5, d.Width, periodLine(rep), "I", 11.5, 5.5)
	if s := provisionalLine(rep); s != "" {
		y = d.centred(d.Left, y, d.Width, "("+s+")", "I", 10.5, 5)
	}
	d.Font("I", 9.5)
	p.SetXY(d.Left, y)
	p.CellFormat(d.Width, 5, "Đơn vị tính: hồ sơ", "", 0, "R", false, 0, "")
	y += 5.5

	head := statHeader(rep.By)
	for i, n := range colNumbers {
		head = append(head, pdfkit.HeadCell{Row: 3, Col: i, Rows: 1, Cols: 1, Text: spaced.Replace(n), Style: "I", Size: 5.5})
	}
	t := &pdfkit.Table{
		Widths:   statWidths[:],
		Head:     head,
		HeadMinH: []float64{statHeadH[0], statHeadH[1], statHeadH[2], 8},
		Size:     8.5,
		HeadSize: 7.5,
		Pad:      1.5,
		MinRowH:  6.5,
		VCentre:  true,
		Aligns:   []string{"C", "L", "C", "C", "C", "C", "C", "C", "C", "C", "C", "C", "C", "C", "C", "C", "C"},
	}
	var rows []pdfkit.Row
	for _, l := range lines(rep) {
		style := ""
		if l.bold {
			style = "B"
		}
		n, rate := values(l.r)
		cells := make([]string, 0, statCols)
		cells = append(cells, l.no, l.name)
		for _, v := range n {
			cells = append(cells, fmt.Sprint(v))
		}
		cells = append(cells, rateText(rate))
		rows = append(rows, pdfkit.Row{Cells: cells, Style: style})
	}
	p.SetXY(d.Left, y)
	p.SetLineWidth(0.2)
	d.DrawTable(t, rows, 0)
	y = p.GetY()

	// Online submissions refused in the period: never received, so in no
	// column (domain.md §3.7), but counted.
	if rep.RefusedOnline > 0 {
		if y+7 > d.PageBottom() {
			p.AddPage()
			y = d.Top
		}
		d.Font("I", 9.5)
		p.SetXY(d.Left, y+1.5)
		p.CellFormat(d.Width, 5, fmt.Sprintf("Hồ sơ trực tuyến bị từ chối tiếp nhận trong kỳ (không tính vào số tiếp nhận): %d", rep.RefusedOnline), "", 0, "L", false, 0, "")
		y += 6.5
	}
	// Dossiers other agencies transferred here: inter-agency tasks, counted
	// by the agency the citizen gave them to (domain.md §3.6).
	if n := rep.InterAgency; n.Any() {
		if y+7 > d.PageBottom() {
			p.AddPage()
			y = d.Top
		}
		d.Font("I", 9.5)
		p.SetXY(d.Left, y+1.5)
		p.CellFormat(d.Width, 5, fmt.Sprintf("Nhiệm vụ liên thông (hồ sơ cơ quan khác chuyển đến, không tính vào số tiếp nhận): nhận %d, đã giải quyết %d, đang giải quyết %d",
			n.Received, n.Resolved, n.Open), "", 0, "L", false, 0, "")
		y += 6.5
	}

	// Signatures: kept together, on a new page when they do not fit.
	const signH = 24 // the captions; the signatures go under them, into the margin if need be
	if y+6+signH > d.PageBottom() {
		p.AddPage()
		y = d.Top
	} else {
		y += 6
	}
	colW := 110.0
	rightX := d.Left + d.Width - colW
	d.centred(d.Left, y+5.5, colW, "NGƯỜI LẬP BIỂU", "B", 11, 5.5)
	d.centred(d.Left, y+11, colW, "(Ký và ghi rõ họ tên)", "I", 10, 5)
	d.centred(rightX, y+5.5, colW, "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", "B", 11, 5.5)
	d.centred(rightX, y+11, colW, "(Ký tên, đóng dấu)", "I", 10, 5)
	return d.output()
}
