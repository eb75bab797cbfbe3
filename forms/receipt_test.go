package forms

import (
	"strings"
	"testing"
)

func TestReceipt(t *testing.T) {
	b, err := Receipt(testOffice(), testDossier(), officer, 1)
	if err != nil {
		t.Fatal(err)
	}
	p := writePDF(t, "receipt.pdf", b)
	text := pdfText(t, p)
	mustContain(t, text,
		"UBND TỈNH THANH HÓA", "UBND XÃ TÂN LẬP",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"Tân Lập, ngày 03 tháng 9 năm 2025",
		"GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
		"Mã hồ sơ: "+testCode,
		"Tiếp nhận hồ sơ của: Nguyễn Thị Ánh Hằng",
		"Số định danh cá nhân: 038190012345",
		"Địa chỉ: "+testAddress,
		"Số điện thoại: 0912345678", "Thư điện tử: anhhang.nguyen@example.vn",
		"Thủ tục hành chính: 2.000815 - Chứng thực bản sao từ bản chính",
		"Nội dung yêu cầu giải quyết: Chứng thực 05 bản sao Giấy khai sinh",
		"Thành phần hồ sơ", "Bản chính", "Bản sao", "(chứng thực)", "Bản photo",
		"Bằng tốt nghiệp trung học phổ thông", "Căn cước công dân",
		"2. Số lượng hồ sơ: 1 (bộ)",
		"3. Thời gian giải quyết hồ sơ theo quy định: 4 giờ làm việc",
		"4. Thời gian nhận hồ sơ: 08 giờ 05 phút, ngày 03 tháng 9 năm 2025",
		"5. Thời gian trả kết quả giải quyết hồ sơ: 14 giờ 05 phút, ngày 03 tháng 9 năm 2025",
		"6. Đăng ký nhận kết quả tại: Bộ phận Một cửa UBND xã Tân Lập, quầy số 2",
		"7. Phí, lệ phí: Lệ phí chứng thực: 200.000 đồng (đã nộp, biên lai số 0001234)",
		"Vào Sổ theo dõi hồ sơ, Quyển số: 01, Số thứ tự: 128",
		"NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", "Lê Thị Tuyết",
		"Mẫu số 01 ban hành kèm theo Thông tư số 03/2025/TT-VPCP", "Trang 1/1",
	)
	if n := pdfPages(t, p); n != 1 {
		t.Errorf("pages = %d, want 1", n)
	}
	// The long first document name wraps inside its cell: both halves print.
	mustContain(t, text, "Giấy khai sinh (bản chính do Ủy ban nhân dân xã")
}

func TestReceiptTwoCopies(t *testing.T) {
	b, err := Receipt(testOffice(), testDossier(), officer, 2)
	if err != nil {
		t.Fatal(err)
	}
	p := writePDF(t, "receipt2.pdf", b)
	if n := pdfPages(t, p); n != 2 {
		t.Fatalf("pages = %d, want 2", n)
	}
	one, two := pdfText(t, p, 1, 1), pdfText(t, p, 2, 2)
	mustContain(t, one, "Liên 1: Lưu tại cơ quan", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", testCode, "Trang 1/1")
	mustContain(t, two, "Liên 2: Giao người nộp hồ sơ", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", testCode, "Trang 1/1")
	if strings.Contains(one, "Liên 2") || strings.Contains(two, "Liên 1") {
		t.Error("copy labels mixed up")
	}
}
