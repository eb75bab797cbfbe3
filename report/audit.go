package report

import (
	"fmt"

	"motcua/app"
)

// AuditXLSX is the administration log (the record of processing) as the
// administrator's screen filtered it: what, by whom, when, on which
// dossier. The names of officials are personal data: the first row says so.
func AuditXLSX(ag app.Agency, entries []app.AuditEntry, filter string) ([]byte, error) {
	b := newBook("Nhật ký")
	widths := []float64{7, 18, 24, 14, 34, 30, 36}
	for i, w := range widths {
		b.check(b.f.SetColWidth(b.sheet, colName(i+1), colName(i+1), w))
	}
	n := len(widths)
	b.text(1, 1, n, 1, app.PersonalDataNotice, b.style("B", 11, ""))
	b.text(1, 2, n, 2, "NHẬT KÝ QUẢN TRỊ VÀ XỬ LÝ DỮ LIỆU CÁ NHÂN — "+ag.Name, b.style("BC", 14, ""))
	b.text(1, 3, n, 3, filter, b.style("IC", 11, ""))
	head := b.style("BCWX", 11, "")
	for i, h := range []string{"STT", "Thời gian", "Người thực hiện", "Tên đăng nhập", "Việc", "Đối tượng (mã hồ sơ, tệp)", "Ghi chú"} {
		b.text(i+1, 5, i+1, 5, h, head)
	}
	body, centre := b.style("WXT", 11, ""), b.style("CWXT", 11, "")
	for i, e := range entries {
		r := 6 + i
		cells := []string{fmt.Sprint(i + 1), e.At.In(app.Vietnam).Format("02/01/2006 15:04:05"), e.User.FullName, e.User.Username,
			app.ActionLabel(e.Action), e.Target, e.Note}
		for c, v := range cells {
			st := body
			if c < 2 {
				st = centre
			}
			b.text(c+1, r, c+1, r, v, st)
		}
	}
	b.text(1, 7+len(entries), n, 7+len(entries), fmt.Sprintf("Tổng số: %d mục", len(entries)), b.style("B", 12, ""))
	b.landscape("$5:$5", 0.3)
	return b.output()
}
