package forms

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"motcua/app"
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

// Decomposed input (Unikey "Unicode tổ hợp") prints as precomposed text.
func TestReceiptNFD(t *testing.T) {
	d := testDossier()
	d.Applicant.FullName = norm.NFD.String("Nguyễn Thị Ánh Hằng")
	d.Applicant.Address = norm.NFD.String(testAddress)
	d.ProcedureName = norm.NFD.String(d.ProcedureName)
	if d.Applicant.FullName == "Nguyễn Thị Ánh Hằng" {
		t.Fatal("fixture is not decomposed")
	}
	o := testOffice()
	o.Agency.Name = norm.NFD.String(o.Agency.Name)
	b, err := Receipt(o, d, app.UserRef{FullName: norm.NFD.String("Lê Thị Tuyết")}, 1)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, writePDF(t, "nfd.pdf", b))
	mustContain(t, text, "Tiếp nhận hồ sơ của: Nguyễn Thị Ánh Hằng", "Địa chỉ: "+testAddress,
		"Chứng thực bản sao từ bản chính", "UBND XÃ TÂN LẬP", "Lê Thị Tuyết")
	for _, r := range text {
		if unicode.Is(unicode.Mn, r) {
			t.Fatalf("combining mark %U left in the output", r)
		}
	}
}

// The signature captions, their note and the names stay on one page however
// long the document table grows.
func TestReceiptSignaturesKeptTogether(t *testing.T) {
	moved := false
	for n := 8; n <= 26; n += 2 {
		d := testDossier()
		for i := len(d.Documents); i < n; i++ {
			d.Documents = append(d.Documents, app.SubmittedDocument{Name: fmt.Sprintf("Giấy tờ bổ trợ số %d kèm theo hồ sơ", i+1), Photocopies: 1})
		}
		b, err := Receipt(testOffice(), d, officer, 1)
		if err != nil {
			t.Fatal(err)
		}
		p := writePDF(t, fmt.Sprintf("sig%d.pdf", n), b)
		pages := pdfPages(t, p)
		found := 0
		for i := 1; i <= pages; i++ {
			pg := pdfText(t, p, i, i)
			if strings.Contains(pg, "NGƯỜI NỘP HỒ SƠ") {
				found++
				// moved whole: the page holds the block but none of the table
				moved = moved || (i > 1 && !strings.Contains(pg, "kèm theo hồ sơ"))
				mustContain(t, pg, "NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", "Nguyễn Thị Ánh Hằng", "Lê Thị Tuyết")
			}
			mustContain(t, pg, fmt.Sprintf("Trang %d/%d", i, pages))
		}
		if found != 1 {
			t.Errorf("%d documents: signature block found on %d pages", n, found)
		}
	}
	if !moved {
		t.Error("no case moved the signature block to a new page: adjust the range")
	}
}

func TestReceiptOddInput(t *testing.T) {
	d := testDossier()
	d.Applicant.FullName = "Nguyễn Thị Ánh Hằng 😀\t\x07"
	d.Documents, d.Fees, d.DueAt = nil, nil, time.Time{}
	d.RegisterBook, d.RegisterRow = "", 0
	b, err := Receipt(testOffice(), d, app.UserRef{}, 5)
	if err != nil {
		t.Fatal(err)
	}
	p := writePDF(t, "odd.pdf", b)
	if n := pdfPages(t, p); n != 2 {
		t.Errorf("copies are capped at 2, got %d pages", n)
	}
	mustContain(t, pdfText(t, p, 1, 1), "Nguyễn Thị Ánh Hằng ?", "7. Phí, lệ phí: Không",
		"5. Thời gian trả kết quả giải quyết hồ sơ: Không quy định", "Lê Thị Tuyết")
	if _, err := Receipt(testOffice(), nil, officer, 1); !app.Is(err, app.KindInvalid) {
		t.Errorf("nil dossier: %v", err)
	}
}

func BenchmarkReceipt(b *testing.B) {
	o, d := testOffice(), testDossier()
	var size int
	b.ReportAllocs()
	for b.Loop() {
		pdf, err := Receipt(o, d, officer, 1)
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}
