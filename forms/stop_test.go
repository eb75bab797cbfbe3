package forms

import "testing"

func TestStopNotice(t *testing.T) {
	d := stoppedDossier()
	b, err := StopNotice(testOffice(), d)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, pdfText(t, writePDF(t, "stop.pdf", b)),
		"UBND XÃ TÂN LẬP", "Tân Lập, ngày 05 tháng 9 năm 2025",
		"THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
		"Số: "+testCode+"/TB-DXL",
		"Kính gửi: Ông/Bà Nguyễn Thị Ánh Hằng",
		"Mã hồ sơ: "+testCode,
		"Thủ tục hành chính: 2.000815 - Chứng thực bản sao từ bản chính",
		"UBND xã Tân Lập thông báo dừng giải quyết hồ sơ nêu trên với lý do:",
		d.StopReason,
		"Căn cứ pháp lý: Điều 22 Nghị định số 23/2015/NĐ-CP; Nghị định số 118/2025/NĐ-CP",
		"PHÓ CHỦ TỊCH", "Trần Minh Quang",
		"Mẫu số 05 ban hành kèm theo Thông tư số 03/2025/TT-VPCP",
	)
}
