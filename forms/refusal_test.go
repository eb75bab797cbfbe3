package forms

import "testing"

func TestRefusal(t *testing.T) {
	d := refusedDossier()
	b, err := Refusal(testOffice(), d)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, writePDF(t, "refusal.pdf", b))
	mustContain(t, text,
		"UBND TỈNH THANH HÓA", "UBND XÃ TÂN LẬP", "Độc lập - Tự do - Hạnh phúc",
		"PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
		"Mã hồ sơ: "+d.Code,
		"UBND xã Tân Lập tiếp nhận hồ sơ của: Nguyễn Thị Ánh Hằng",
		"Nội dung yêu cầu giải quyết: Chứng thực 05 bản sao Giấy khai sinh",
		"Thời gian nộp hồ sơ: 21 giờ 40 phút, ngày 02 tháng 9 năm 2025",
		"Qua xem xét, UBND xã Tân Lập thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
		d.RefuseReason,
		"NGƯỜI NỘP HỒ SƠ", "NGƯỜI TỪ CHỐI", "(Ký và ghi rõ họ tên)", "Lê Thị Tuyết",
		"Tân Lập, ngày 03 tháng 9 năm 2025",
		"Mẫu số 03 ban hành kèm theo Thông tư số 03/2025/TT-VPCP",
	)
}
