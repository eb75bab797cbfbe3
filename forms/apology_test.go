package forms

import (
	"testing"

	"motcua/app"
)

func TestApology(t *testing.T) {
	b, err := Apology(testOffice(), testDossier(), 0)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, pdfText(t, writePDF(t, "apology.pdf", b)),
		"UBND XÃ TÂN LẬP", "Độc lập - Tự do - Hạnh phúc", "Tân Lập, ngày 03 tháng 9 năm 2025",
		"VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
		"Số: "+testCode+"-1/PXL",
		"Kính gửi: Ông/Bà Nguyễn Thị Ánh Hằng",
		"Ngày 03 tháng 9 năm 2025, UBND xã Tân Lập tiếp nhận giải quyết hồ sơ của ông/bà Nguyễn Thị Ánh Hằng.",
		"Mã hồ sơ: "+testCode,
		"Thời gian hẹn trả kết quả giải quyết hồ sơ: 14 giờ 05 phút, ngày 03 tháng 9 năm 2025",
		"chưa trả kết quả giải quyết hồ sơ cho ông/bà đúng hạn theo quy định, với lý do:",
		"Người có thẩm quyền ký chứng thực đi công tác đột xuất",
		"UBND xã Tân Lập xin lỗi ông/bà và hẹn lại thời gian trả kết quả vào 09 giờ 00 phút, ngày 04 tháng 9 năm 2025.",
		"Nơi nhận:", "- Như trên;", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "(Ký, ghi rõ họ tên và đóng dấu)", "Trần Minh Quang",
		"Mẫu số 04 ban hành kèm theo Thông tư số 03/2025/TT-VPCP",
	)
	if _, err := Apology(testOffice(), testDossier(), 1); !app.Is(err, app.KindNotFound) {
		t.Errorf("missing delay: %v", err)
	}
}
