package forms

import (
	"fmt"
	"strings"
	"testing"

	"motcua/app"
)

func TestRegister(t *testing.T) {
	rows := registerRows(6)
	rows[0].Transfers = []app.TransferRef{{ID: "T1", ToAgency: "000.00.00.H56", ToName: "Công an tỉnh Thanh Hóa", CreatedAt: vn(2025, 9, 2, 9, 0)}}
	o := testOffice()
	digest := "Dấu tổng hợp dữ liệu đến ngày 29/09/2025: 3f1c9a0d5b7e2468ace13579bdf02468ace13579bdf02468ace13579bdf0246a"
	o.Digest = digest
	b, err := Register(o, vn(2025, 9, 1, 0, 0), vn(2025, 9, 30, 0, 0), rows, "01")
	if err != nil {
		t.Fatal(err)
	}
	p := writePDF(t, "register.pdf", b)
	mustContain(t, pdfText(t, p),
		"UBND TỈNH THANH HÓA", "UBND XÃ TÂN LẬP", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"SỔ THEO DÕI HỒ SƠ", "Quyển số: 01", "Từ ngày 01 tháng 9 năm 2025 đến ngày 30 tháng 9 năm 2025",
		"Tổng số: 6 hồ sơ", "Mẫu số 07 ban hành kèm theo Thông tư số 03/2025/TT-VPCP", digest,
	)
	mustContain(t, pdfRaw(t, p),
		"STT", "Mã hồ sơ", "Tên TTHC", "Số lượng hồ sơ (bộ)", "Tên cá nhân, tổ chức", "Địa chỉ, số điện thoại",
		"Cơ quan chủ trì giải quyết", "Nhận hồ sơ", "Hẹn trả kết quả", "Chuyển hồ sơ đến cơ quan giải quyết",
		"Nhận kết quả từ cơ quan giải quyết", "Trả kết quả", "Ngày, tháng, năm", "Ký nhận", "Ghi chú",
		rows[0].Code, "2.000815 - Chứng thực bản sao từ bản chính", "Nguyễn Thị Ánh Hằng", testAddress, "0912345678",
		"Công an tỉnh Thanh Hóa 02/09/2025 09:00", "01/09/2025 07:00",
	)
	if info := run(t, "pdfinfo", p); !strings.Contains(info, "841.89 x 595.28") {
		t.Errorf("register is not A4 landscape:\n%s", info)
	}
}

// 500 dossiers: many pages, the header row on each, every dossier exactly once.
func TestRegister500(t *testing.T) {
	rows := registerRows(500)
	b, err := Register(testOffice(), vn(2025, 9, 1, 0, 0), vn(2025, 9, 30, 0, 0), rows, "01")
	if err != nil {
		t.Fatal(err)
	}
	p := writePDF(t, "register500.pdf", b)
	n := pdfPages(t, p)
	if n < 10 {
		t.Fatalf("pages = %d: 500 rows cannot fit", n)
	}
	var all strings.Builder
	for i := 1; i <= n; i++ {
		pg := pdfText(t, p, i, i)
		mustContain(t, pg, "STT", "Mã hồ sơ", "Tên TTHC", "Hẹn trả", "Ghi chú", fmt.Sprintf("Trang %d/%d", i, n))
		all.WriteString(pg)
	}
	text := all.String()
	for _, d := range rows {
		if c := strings.Count(text, d.Code); c != 1 {
			t.Errorf("%s printed %d times", d.Code, c)
		}
	}
	mustContain(t, text, "Tổng số: 500 hồ sơ")
}

func TestRegisterEmpty(t *testing.T) {
	b, err := Register(testOffice(), vn(2025, 9, 1, 0, 0), vn(2025, 9, 30, 0, 0), nil, "")
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, pdfText(t, writePDF(t, "empty.pdf", b)), "SỔ THEO DÕI HỒ SƠ", "Không có hồ sơ trong kỳ.")
}
