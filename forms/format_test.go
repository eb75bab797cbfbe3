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
