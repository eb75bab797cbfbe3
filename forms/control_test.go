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
