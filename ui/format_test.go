package ui

import (
	"testing"
	"time"

	"motcua/app"
)

func TestFormat(t *testing.T) {
	if got := fmtMoney(200000); got != "200.000 đ" {
		t.Errorf("fmtMoney = %q", got)
	}
	if got := fmtMoney(1000); got != "1.000 đ" {
		t.Errorf("fmtMoney = %q", got)
	}
	if got := fmtMoney(0); got != "0 đ" {
		t.Errorf("fmtMoney = %q", got)
	}
	d := time.Date(2025, 1, 15, 23, 30, 0, 0, time.UTC) // 06:30 on the 16th in Vietnam
	if got := fmtDate(d); got != "16/01/2025" {
		t.Errorf("fmtDate = %q", got)
	}
	if got, err := parseDate("5/9/2025"); err != nil || !got.Equal(time.Date(2025, 9, 5, 0, 0, 0, 0, app.Vietnam)) {
		t.Errorf("parseDate = %v, %v", got, err)
	}
	if _, err := parseDate("31/02/2025"); err == nil {
		t.Error("parseDate accepted 31/02")
	}
	if v, err := parseMoney("200.000 đ"); err != nil || v != 200000 {
		t.Errorf("parseMoney = %d, %v", v, err)
	}
}
