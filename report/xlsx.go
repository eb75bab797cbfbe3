package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/xuri/excelize/v2"

	"motcua/app"
)

// book wraps one workbook with the styles both exports use. The font is
// Times New Roman, what offices' own templates use; Excel and LibreOffice
// render every Vietnamese letter with it.
type book struct {
	f     *excelize.File
	sheet string
	err   error
	cache map[string]int
}

func newBook(sheet string) *book {
	f := excelize.NewFile()
	b := &book{f: f, sheet: sheet, cache: map[string]int{}}
	b.check(f.SetSheetName("Sheet1", sheet))
	b.check(f.SetDocProps(&excelize.DocProperties{Creator: "Một Cửa", Language: "vi-VN"}))
	return b
}

func (b *book) check(err error) {
	if err != nil && b.err == nil {
		b.err = err
	}
}

// style returns a cell style: spec letters B bold, I italic, U underline,
// W wrap, X border, C/R centre/right, T top; size in points.
func (b *book) style(spec string, size float64, numFmt string) int {
	key := fmt.Sprintf("%s|%s|%g", spec, numFmt, size)
	if id, ok := b.cache[key]; ok {
		return id
	}
	st := &excelize.Style{
		Font:      &excelize.Font{Family: "Times New Roman", Size: size, Bold: strings.Contains(spec, "B"), Italic: strings.Contains(spec, "I")},
		Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: strings.Contains(spec, "W")},
	}
	if strings.Contains(spec, "U") {
		st.Font.Underline = "single"
	}
	switch {
	case strings.Contains(spec, "C"):
		st.Alignment.Horizontal = "center"
	case strings.Contains(spec, "R"):
		st.Alignment.Horizontal = "right"
	}
	if strings.Contains(spec, "T") {
		st.Alignment.Vertical = "top"
	}
	if strings.Contains(spec, "X") {
		for _, side := range []string{"left", "right", "top", "bottom"} {
			st.Border = append(st.Border, excelize.Border{Type: side, Color: "000000", Style: 1})
		}
	}
	if numFmt != "" {
		st.CustomNumFmt = &numFmt
	}
	id, err := b.f.NewStyle(st)
	b.check(err)
	b.cache[key] = id
	return id
}

func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// text writes s over the merged range (c1, r1)–(c2, r2) in a style.
func (b *book) text(c1, r1, c2, r2 int, s string, style int) {
	if c2 != c1 || r2 != r1 {
		b.check(b.f.MergeCell(b.sheet, cell(c1, r1), cell(c2, r2)))
	}
	b.check(b.f.SetCellStr(b.sheet, cell(c1, r1), app.NFC(s)))
	b.check(b.f.SetCellStyle(b.sheet, cell(c1, r1), cell(c2, r2), style))
}

func (b *book) num(c, r int, v int, style int) {
	b.check(b.f.SetCellInt(b.sheet, cell(c, r), int64(v)))
	b.check(b.f.SetCellStyle(b.sheet, cell(c, r), cell(c, r), style))
}

func (b *book) output() ([]byte, error) {
	if b.err != nil {
		return nil, app.E("report.xlsx", app.KindOther, b.err)
	}
	buf, err := b.f.WriteToBuffer()
	if err != nil {
		return nil, app.E("report.xlsx", app.KindOther, err)
	}
	return buf.Bytes(), nil
}

// landscape sets A4 landscape, one page wide, with rows repeated on every page.
func (b *book) landscape(titleRows string, margins float64) {
	size, orient, fit, tall := 9, "landscape", 1, 0
	b.check(b.f.SetPageLayout(b.sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &fit, FitToHeight: &tall}))
	fitPage := true
	b.check(b.f.SetSheetProps(b.sheet, &excelize.SheetPropsOptions{FitToPage: &fitPage}))
	b.check(b.f.SetPageMargins(b.sheet, &excelize.PageLayoutMarginsOptions{Left: &margins, Right: &margins}))
	if titleRows != "" {
		b.check(b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + b.sheet + "'!" + titleRows, Scope: b.sheet}))
	}
}

// officeHeader writes the governing body and unit (columns 1..leftEnd) and
// the national motto and date line (rightStart..last) in rows 1–3.
func (b *book) officeHeader(ag app.Agency, dateText string, leftEnd, rightStart, last int) {
	b.text(1, 1, leftEnd, 1, strings.ToUpper(ag.GoverningBody), b.style("C", 12, ""))
	b.text(1, 2, leftEnd, 2, strings.ToUpper(ag.Name), b.style("BC", 12, ""))
	b.text(rightStart, 1, last, 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", b.style("BC", 12, ""))
	b.text(rightStart, 2, last, 2, "Độc lập - Tự do - Hạnh phúc", b.style("BUC", 13, ""))
	if dateText != "" {
		b.text(rightStart, 3, last, 3, dateText, b.style("IC", 12, ""))
	}
}

// Row layout of the statistics sheet.
const (
	xTitleRow  = 5
	xPeriodRow = 6
	xNoteRow   = 7
	xUnitRow   = 8
	xHeadRow   = 9 // three header rows, then the column numbers
	xBodyRow   = 13
)

var xlsxWidths = [statCols]float64{5, 46, 10, 10, 10, 11, 10, 9, 9, 9, 10, 9, 9, 10, 9, 9, 12}

// StatisticsXLSX renders the report as a one-sheet workbook in the layout
// offices send upward: the office header, the official title and period, a
// three-row header with merged groups, the column numbers, one row per field
// (or per procedure under bold field subtotals), the total and the
// signatures. Figures are numbers, so that the receiving office can add up
// several reports.
func StatisticsXLSX(rep *app.Report) ([]byte, error) {
	b := newBook("Thống kê")
	last := statCols
	for i, w := range xlsxWidths {
		b.check(b.f.SetColWidth(b.sheet, colName(i+1), colName(i+1), w))
	}
	b.officeHeader(rep.Agency, dateLine(rep.Agency, rep.MadeAt), 5, 12, last)
	b.text(1, xTitleRow, last, xTitleRow, app.ReportTitle, b.style("BCW", 14, ""))
	b.check(b.f.SetRowHeight(b.sheet, xTitleRow, 38))
	b.text(1, xPeriodRow, last, xPeriodRow, periodLine(rep), b.style("IC", 12, ""))
	if s := provisionalLine(rep); s != "" {
		b.text(1, xNoteRow, last, xNoteRow, "("+s+")", b.style("IC", 11, ""))
	}
	b.text(last-3, xUnitRow, last, xUnitRow, "Đơn vị tính: hồ sơ", b.style("IR", 11, ""))

	head := b.style("BCWX", 11, "")
	for _, c := range statHeader(rep.By) {
		b.text(c.Col+1, xHeadRow+c.Row, c.Col+c.Cols, xHeadRow+c.Row+c.Rows-1, c.Text, head)
	}
	b.check(b.f.SetRowHeight(b.sheet, xHeadRow, 33))
	b.check(b.f.SetRowHeight(b.sheet, xHeadRow+1, 30))
	b.check(b.f.SetRowHeight(b.sheet, xHeadRow+2, 63))
	nums := b.style("ICWX", 9, "")
	for i, s := range colNumbers {
		b.text(i+1, xHeadRow+3, i+1, xHeadRow+3, s, nums)
	}
	b.check(b.f.SetRowHeight(b.sheet, xHeadRow+3, 27))

	row := xBodyRow
	for _, l := range lines(rep) {
		spec := "X"
		if l.bold {
			spec = "BX"
		}
		b.text(1, row, 1, row, l.no, b.style(spec+"C", 12, ""))
		b.text(2, row, 2, row, l.name, b.style(spec+"W", 12, ""))
		n, rate := values(l.r)
		for i, v := range n {
			b.num(3+i, row, v, b.style(spec+"C", 12, "#,##0"))
		}
		if rate < 0 {
			b.text(last, row, last, row, "-", b.style(spec+"C", 12, ""))
		} else {
			b.check(b.f.SetCellFloat(b.sheet, cell(last, row), math.Round(rate*10)/10, 1, 64))
			b.check(b.f.SetCellStyle(b.sheet, cell(last, row), cell(last, row), b.style(spec+"C", 12, "0.0")))
		}
		row++
	}

	row += 2
	b.text(1, row, 5, row, "NGƯỜI LẬP BIỂU", b.style("BC", 12, ""))
	b.text(12, row, last, row, "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", b.style("BC", 12, ""))
	b.text(1, row+1, 5, row+1, "(Ký và ghi rõ họ tên)", b.style("IC", 11, ""))
	b.text(12, row+1, last, row+1, "(Ký tên, đóng dấu)", b.style("IC", 11, ""))

	b.check(b.f.SetPanes(b.sheet, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: xBodyRow - 1, TopLeftCell: cell(3, xBodyRow), ActivePane: "bottomRight"}))
	b.landscape("$9:$12", 0.4)
	return b.output()
}

func colName(i int) string {
	name, _ := excelize.ColumnNumberToName(i)
	return name
}
