package forms

import "testing"

func TestResultReceipt(t *testing.T) {
	b, err := ResultReceipt(testOffice(), returnedDossier())
	if err != nil {
		t.Fatal(err)
	}
	p := writePDF(t, "result.pdf", b)
	mustContain(t, pdfText(t, p),
		"UBND XÃ TÂN LẬP", "Tân Lập, ngày 04 tháng 9 năm 2025",
		"GIẤY BIÊN NHẬN TRẢ KẾT QUẢ", "Mã hồ sơ: "+testCode,
		"UBND xã Tân Lập trả kết quả giải quyết hồ sơ cho: Nguyễn Thị Ánh Hằng",
		"Thủ tục hành chính: 2.000815 - Chứng thực bản sao từ bản chính",
		"Người nhận kết quả: Nguyễn Thị Ánh Hằng (038190012345)",
		"Loại giấy tờ", "Số, ngày", "Trích yếu",
		"Thời gian trả kết quả: 08 giờ 15 phút, ngày 04 tháng 9 năm 2025",
		"Hình thức trả: Trực tiếp tại Bộ phận Một cửa",
		"NGƯỜI TRẢ KẾT QUẢ", "NGƯỜI NHẬN KẾT QUẢ", "(Ký và ghi rõ họ tên)", "Lê Thị Tuyết",
	)
	mustContain(t, pdfRaw(t, p), "Bản sao chứng thực", "Số chứng thực 1532/2025, quyển số 01/2025-SCT/BS, 03/09/2025",
		"05 bản sao Giấy khai sinh và 03 bản sao Bằng tốt nghiệp trung học phổ thông đã chứng thực từ bản chính")
}
