package forms

import "testing"

func TestSupplementRound(t *testing.T) {
	b, err := SupplementRound(testOffice(), testDossier(), 1)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, writePDF(t, "supplement.pdf", b))
	mustContain(t, text,
		"UBND XÃ TÂN LẬP", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Tân Lập, ngày 03 tháng 9 năm 2025",
		"PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
		"Số: "+testCode+"/HDHS",
		"Lần yêu cầu bổ sung: 1",
		"Hồ sơ của: Nguyễn Thị Ánh Hằng",
		"Địa chỉ: "+testAddress,
		"Thủ tục hành chính: 2.000815 - Chứng thực bản sao từ bản chính",
		"yêu cầu ông/bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
		"Nội dung yêu cầu bổ sung, hoàn thiện",
		"Bản chụp rõ nét của Giấy khai sinh",
		"Lý do: Bản chính không đủ điều kiện chứng thực theo Điều 22 Nghị định số 23/2015/NĐ-CP",
		"Thời gian hẹn trả kết quả trước khi yêu cầu bổ sung: 14 giờ 05 phút, ngày 03 tháng 9 năm 2025",
		"liên hệ với Phạm Văn Đức, số điện thoại 0237 3812 345",
		"NGƯỜI HƯỚNG DẪN", "(Ký và ghi rõ họ tên)", "Phạm Văn Đức",
		"Mẫu số 02 ban hành kèm theo Thông tư số 03/2025/TT-VPCP",
	)
	// The long item wraps inside its cell; both ends print.
	mustContain(t, text, "Bản chính Bằng tốt nghiệp trung học phổ thông", "theo quy định)")

	if _, err := SupplementRound(testOffice(), testDossier(), 2); err == nil {
		t.Error("round 2 does not exist: want an error")
	}
}

func TestSupplementRequestAtIntake(t *testing.T) {
	b, err := SupplementRequest(testOffice(), testGuidance())
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, writePDF(t, "guidance.pdf", b))
	mustContain(t, text,
		"PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
		"Số: 000.00.01.H22-250903-G0003/HDHS",
		"Hồ sơ của: Nguyễn Thị Ánh Hằng",
		"Thủ tục hành chính: 1.001193 - Đăng ký khai sinh",
		"Nội dung yêu cầu giải quyết: Đăng ký khai sinh cho con là Trần Nguyễn Bảo Ngọc",
		"Giấy chứng sinh do cơ sở y tế nơi trẻ sinh ra cấp",
		"Tờ khai đăng ký khai sinh theo mẫu",
		"Lý do: Thiếu giấy tờ theo quy định tại Điều 16 Luật Hộ tịch 2014",
		"NGƯỜI HƯỚNG DẪN", "Lê Thị Tuyết", "Tân Lập, ngày 03 tháng 9 năm 2025",
	)
}
