package forms

import (
	"testing"
)

func TestCapFirst(t *testing.T) {
	if got := capFirst("ngày 05 tháng 02 năm 2026"); got != "Ngày 05 tháng 02 năm 2026" {
		t.Errorf("capFirst = %q", got)
	}
	if capFirst("") != "" {
		t.Error("capFirst of empty")
	}
}

func TestGluePlace(t *testing.T) {
	for in, want := range map[string]string{
		"ỦY BAN NHÂN DÂN XÃ NGHĨA HƯNG ĐÔNG":                   "ỦY\u00a0BAN\u00a0NHÂN\u00a0DÂN XÃ\u00a0NGHĨA\u00a0HƯNG\u00a0ĐÔNG",
		"TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ NGHĨA HƯNG ĐÔNG": "TRUNG\u00a0TÂM\u00a0PHỤC\u00a0VỤ\u00a0HÀNH\u00a0CHÍNH\u00a0CÔNG XÃ\u00a0NGHĨA\u00a0HƯNG\u00a0ĐÔNG",
		"UBND THỊ XÃ NGHI SƠN":                                 "UBND THỊ\u00a0XÃ\u00a0NGHI\u00a0SƠN",
		"BỘ PHẬN MỘT CỬA":                                      "BỘ PHẬN MỘT CỬA",
	} {
		if got := gluePlace(in); got != want {
			t.Errorf("gluePlace(%q) = %q, want %q", in, got, want)
		}
	}
}
