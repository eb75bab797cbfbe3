package forms

import (
	"testing"
	"time"
)

func TestVNDate(t *testing.T) {
	at := vn(2025, 9, 3, 14, 5)
	if got := VNDateTime(at); got != "14 giờ 05 phút, ngày 03 tháng 9 năm 2025" {
		t.Errorf("VNDateTime = %q", got)
	}
	if got := VNDate(at); got != "ngày 03 tháng 9 năm 2025" {
		t.Errorf("VNDate = %q", got)
	}
	// 2025-12-31 20:30 UTC is already 1 January in Vietnam.
	utc := time.Date(2025, 12, 31, 20, 30, 0, 0, time.UTC)
	if got := VNDateTime(utc); got != "03 giờ 30 phút, ngày 01 tháng 1 năm 2026" {
		t.Errorf("VNDateTime(UTC) = %q", got)
	}
	if got := VNDate(vn(2025, 11, 24, 0, 0)); got != "ngày 24 tháng 11 năm 2025" {
		t.Errorf("VNDate = %q", got)
	}
	if VNDate(time.Time{}) != "" || VNDateTime(time.Time{}) != "" {
		t.Error("zero time must print nothing")
	}
}

func TestVND(t *testing.T) {
	for in, want := range map[int64]string{
		0: "0 đồng", 500: "500 đồng", 1000: "1.000 đồng", 200000: "200.000 đồng",
		1234567: "1.234.567 đồng", 1000000000: "1.000.000.000 đồng", -5000: "-5.000 đồng",
	} {
		if got := VND(in); got != want {
			t.Errorf("VND(%d) = %q, want %q", in, got, want)
		}
	}
}
