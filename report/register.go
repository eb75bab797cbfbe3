package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"motcua/app"
)

// registerHead is the header of form 07 (Sổ theo dõi hồ sơ, domain.md §6):
// 14 columns, "Trả kết quả" split into the date and the signature.
var registerHead = []hcell{
	{0, 0, 2, 1, "STT"},
	{0, 1, 2, 1, "Mã hồ sơ"},
	{0, 2, 2, 1, "Tên thủ tục hành chính"},
	{0, 3, 2, 1, "Số lượng hồ sơ (bộ)"},
	{0, 4, 2, 1, "Tên cá nhân, tổ chức"},
	{0, 5, 2, 1, "Địa chỉ, số điện thoại"},
	{0, 6, 2, 1, "Cơ quan chủ trì giải quyết"},
	{0, 7, 2, 1, "Nhận hồ sơ (ngày, giờ)"},
	{0, 8, 2, 1, "Hẹn trả kết quả (ngày, giờ)"},
	{0, 9, 2, 1, "Chuyển hồ sơ đến cơ quan giải quyết"},
	{0, 10, 2, 1, "Nhận kết quả từ cơ quan giải quyết"},
	{0, 11, 1, 2, "Trả kết quả"},
	{1, 11, 1, 1, "Ngày, giờ"},
	{1, 12, 1, 1, "Ký nhận"},
	{0, 13, 2, 1, "Ghi chú"},
}

var registerWidths = []float64{6, 26, 32, 9, 24, 30, 22, 16, 16, 24, 16, 16, 12, 22}

func dateTimeCell(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(app.Vietnam).Format("02/01/2006 15:04")
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// registerCells is one register row, as the printed form 07 shows it.
func registerCells(ag app.Agency, i int, d *app.Dossier) []string {
	no := d.RegisterRow
	if no == 0 {
		no = i + 1
	}
	agency, transfer := ag.Name, ""
	if n := len(d.Transfers); n > 0 {
		tr := d.Transfers[n-1]
		agency = joinNonEmpty("", tr.ToName)
		if agency == "" {
			agency = tr.ToAgency
		}
		transfer = joinNonEmpty("\n", agency, dateTimeCell(tr.CreatedAt))
	} else if len(d.Legs) > 0 {
		l := d.Legs[0]
		transfer = joinNonEmpty("\n", l.ToUnit, dateTimeCell(l.At))
	}
	result := ""
	if d.Result != nil && !d.Result.RecordedAt.IsZero() {
		result = dateTimeCell(d.Result.RecordedAt)
	} else if d.State.Finished() {
		result = dateTimeCell(d.FinishedAt)
	}
	note := d.State.Label()
	if n := len(d.Delays); n > 0 {
		note = joinNonEmpty("; ", note, "Hẹn lại ngày "+d.Delays[n-1].NewDue.In(app.Vietnam).Format("02/01/2006"))
	}
	if d.RefuseReason != "" {
		note = joinNonEmpty(": ", note, d.RefuseReason)
	}
	return []string{fmt.Sprint(no), d.Code, joinNonEmpty(" - ", d.ProcedureCode, d.ProcedureName), fmt.Sprint(max(d.Sets, 1)),
		d.Applicant.FullName, joinNonEmpty("\n", d.Applicant.Address, d.Applicant.Phone), agency,
		dateTimeCell(d.ReceivedAt), dateTimeCell(d.DueAt), transfer, result, dateTimeCell(d.ReturnedAt), "", note}
}

// RegisterXLSX exports the register of dossiers (Sổ theo dõi hồ sơ, form 07)
// as a workbook: the office header, the title with the book number and the
// period (first and last day shown as given), the two-row header and one
// row per dossier in the order given (app.Service.RegisterDossiers gives
// receipt order).
func RegisterXLSX(ag app.Agency, first, last time.Time, rows []app.Dossier, bookNo string) ([]byte, error) {
	b := newBook("Sổ theo dõi hồ sơ")
	n := len(registerWidths)
	for i, w := range registerWidths {
		b.check(b.f.SetColWidth(b.sheet, colName(i+1), colName(i+1), w))
	}
	b.officeHeader(ag, "", 3, 9, n)
	b.text(1, 5, n, 5, "SỔ THEO DÕI HỒ SƠ", b.style("BC", 14, ""))
	sub := fmt.Sprintf("Từ ngày %s đến ngày %s", first.In(app.Vietnam).Format("02/01/2006"), last.In(app.Vietnam).Format("02/01/2006"))
	if bookNo != "" {
		sub = "Quyển số: " + bookNo + " - " + sub
	}
	b.text(1, 6, n, 6, sub, b.style("IC", 12, ""))
	const headRow = 8
	head := b.style("BCWX", 11, "")
	for _, c := range registerHead {
		b.text(c.col+1, headRow+c.row, c.col+c.cols, headRow+c.row+c.rows-1, c.text, head)
	}
	b.check(b.f.SetRowHeight(b.sheet, headRow, 30))
	b.check(b.f.SetRowHeight(b.sheet, headRow+1, 30))
	body, centre := b.style("WXT", 11, ""), b.style("CWXT", 11, "")
	row := headRow + 2
	for i := range rows {
		for c, s := range registerCells(ag, i, &rows[i]) {
			st := body
			if c == 0 || c == 3 || c == 7 || c == 8 || c == 10 || c == 11 {
				st = centre
			}
			b.text(c+1, row, c+1, row, s, st)
		}
		row++
	}
	b.text(1, row+1, n, row+1, fmt.Sprintf("Tổng số: %d hồ sơ", len(rows)), b.style("B", 12, ""))
	// The register names citizens: the first row says so (the file name
	// too, app.PersonalDataFileName), everything else one row lower.
	b.check(b.f.InsertRows(b.sheet, 1, 1))
	b.text(1, 1, n, 1, app.PersonalDataNotice, b.style("B", 11, ""))
	b.check(b.f.SetPanes(b.sheet, &excelize.Panes{Freeze: true, YSplit: headRow + 2, TopLeftCell: cell(1, headRow+3), ActivePane: "bottomLeft"}))
	b.landscape("$9:$10", 0.3)
	return b.output()
}
