package forms

import (
	"fmt"
	"strings"
	"testing"

	"motcua/app"
)

func TestControlSheet(t *testing.T) {
	b, err := ControlSheet(testOffice(), testDossier())
	if err != nil {
		t.Fatal(err)
	}
	p := writePDF(t, "control.pdf", b)
	mustContain(t, pdfText(t, p),
		"PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
		"Mã hồ sơ: "+testCode,
		"Họ và tên: Nguyễn Thị Ánh Hằng",
		"Ngày nhận hồ sơ: 08 giờ 05 phút, ngày 03 tháng 9 năm 2025",
		"Ngày giờ hẹn trả kết quả: 14 giờ 05 phút, ngày 03 tháng 9 năm 2025",
		"Cơ quan, bộ phận giải quyết hồ sơ: Công chức Tư pháp - Hộ tịch",
		"Cơ quan phối hợp giải quyết hồ sơ: Không",
		"TÊN CƠ QUAN", "THỜI GIAN GIAO, NHẬN HỒ SƠ", "Người giao", "Người nhận", "GHI CHÚ",
		"Trước hạn", "Đúng hạn", "Quá hạn", "Hạn: 03/09/2025",
		"Mẫu số 06 ban hành kèm theo Thông tư số 03/2025/TT-VPCP",
	)
	// Cells wrap: read them in drawing order.
	mustContain(t, pdfRaw(t, p),
		"1. Giao: Bộ phận Một cửa 2. Nhận: Công chức Tư pháp - Hộ tịch",
		"03/09/2025 08:20", "Lê Thị Tuyết", "Phạm Văn Đức",
		"Trình ký bản sao", "Chậm do lãnh đạo đi họp đột xuất tại Ủy ban nhân dân tỉnh",
	)
}

// A dossier with many legs: the table breaks across pages and repeats its header.
func TestControlSheetManyLegs(t *testing.T) {
	d := testDossier()
	base := d.Legs[0]
	d.Legs = nil
	for i := range 40 {
		l := base
		l.N = i + 1
		l.Note = fmt.Sprintf("Lượt %02d", i+1)
		l.At = vn(2025, 9, 3, 8, 0).Add(time30(i))
		d.Legs = append(d.Legs, l)
	}
	d.Transfers = []app.TransferRef{{ID: "T1", ToAgency: "000.00.00.H56", ToName: "Công an tỉnh Thanh Hóa"}}
	b, err := ControlSheet(testOffice(), d)
	if err != nil {
		t.Fatal(err)
	}
	p := writePDF(t, "control-long.pdf", b)
	n := pdfPages(t, p)
	if n < 2 {
		t.Fatalf("pages = %d, want the legs to spill over", n)
	}
	all := ""
	for i := 1; i <= n; i++ {
		pg := pdfText(t, p, i, i)
		mustContain(t, pg, "TÊN CƠ QUAN", "THỜI GIAN GIAO, NHẬN HỒ SƠ", fmt.Sprintf("Trang %d/%d", i, n))
		all += pg
	}
	for i := range 40 {
		if c := strings.Count(all, fmt.Sprintf("Lượt %02d", i+1)); c != 1 {
			t.Errorf("leg %d printed %d times", i+1, c)
		}
	}
	mustContain(t, all, "Cơ quan phối hợp giải quyết hồ sơ: Công an tỉnh Thanh Hóa (000.00.00.H56)")
}

// Legs through the central API name the agencies they went to, never the
// transfers' internal ids (issue 13.5); a group's legs are one row each.
func TestControlSheetTransferLegsNameAgencies(t *testing.T) {
	d := testDossier()
	base := d.Legs[0]
	ids := []string{"tr_k3j5h2g7f6d5s4a3q2w1e0r9t8", "tr_p0o9i8u7y6t5r4e3w2q1a2s3d4"}
	d.Transfers = []app.TransferRef{
		{ID: ids[0], GroupID: "grp-1", ToAgency: "000.00.21.H56", ToName: "UBND huyện Triệu Sơn", State: app.TransferCompleted},
		{ID: ids[1], GroupID: "grp-1", ToAgency: "000.00.02.H56", ToName: "Bảo hiểm xã hội tỉnh", State: app.TransferPending},
	}
	for i, id := range ids {
		l := base
		l.N, l.TransferID, l.ToUnit, l.Note = len(d.Legs)+1, id, d.Transfers[i].ToName, ""
		d.Legs = append(d.Legs, l)
	}
	b, err := ControlSheet(testOffice(), d)
	if err != nil {
		t.Fatal(err)
	}
	p := writePDF(t, "control-transfers.pdf", b)
	raw := pdfRaw(t, p)
	mustContain(t, raw, "Liên thông: UBND huyện Triệu Sơn", "Liên thông: Bảo hiểm xã hội tỉnh")
	for _, id := range ids {
		if strings.Contains(raw, id) || strings.Contains(raw, id[:12]) {
			t.Errorf("the control sheet prints the internal transfer id %s", id)
		}
	}
	if strings.Contains(raw, "Mã liên thông") {
		t.Error("the control sheet still lists transfer ids")
	}
}
