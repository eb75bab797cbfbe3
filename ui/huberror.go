package ui

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2/lang"
)

// hubError turns a connection error of the liên thông client (often Go's
// English network text) into a sentence an official can act on; the
// original stays in the log.
func hubError(s string) string {
	l := strings.ToLower(s)
	switch {
	case s == "":
		return ""
	case strings.Contains(l, "no such host"), strings.Contains(l, "server misbehaving"), strings.Contains(l, "invalid url"),
		strings.Contains(l, "invalid character"), strings.Contains(l, "unsupported protocol"), strings.Contains(l, "missing protocol"):
		return lang.L("Không tìm thấy máy chủ liên thông: kiểm tra địa chỉ trong Cài đặt → Cơ quan")
	case strings.Contains(l, "connection refused"), strings.Contains(l, "connection reset"), strings.Contains(l, "eof"):
		return lang.L("Máy chủ liên thông không nhận kết nối (máy chủ tắt hoặc sai cổng)")
	case strings.Contains(l, "timeout"), strings.Contains(l, "deadline exceeded"):
		return lang.L("Máy chủ liên thông không trả lời kịp: kiểm tra mạng Internet")
	case strings.Contains(l, "certificate"), strings.Contains(l, "x509"), strings.Contains(l, "tls"):
		return lang.L("Chứng thư bảo mật của máy chủ liên thông không hợp lệ")
	case strings.Contains(l, "401"), strings.Contains(l, "403"), strings.Contains(l, "unauthorized"), strings.Contains(l, "forbidden"):
		return lang.L("Khóa truy cập liên thông không đúng hoặc đã hết hạn")
	case strings.Contains(l, "network is unreachable"), strings.Contains(l, "no route"):
		return lang.L("Máy tính chưa kết nối mạng")
	}
	if !hasVietnamese(s) {
		return lang.L("Lỗi kết nối liên thông (chi tiết trong nhật ký)")
	}
	return s
}

// hasVietnamese reports letters with Vietnamese diacritics (a message the
// app itself wrote).
func hasVietnamese(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
