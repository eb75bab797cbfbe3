package ui

import (
	"strings"
	"testing"
)

func TestHubErrorsAreVietnameseSentences(t *testing.T) {
	for in, want := range map[string]string{
		`Get "http://lienthong tinh/api/v1/inbox": dial tcp: lookup lienthong tinh: no such host`:       "Không tìm thấy máy chủ liên thông",
		`Post "https://hub:8443/api/v1/transfers": dial tcp 10.0.0.5:8443: connect: connection refused`: "không nhận kết nối",
		`context deadline exceeded (Client.Timeout exceeded while awaiting headers)`:                    "không trả lời kịp",
		`tls: failed to verify certificate: x509: certificate signed by unknown authority`:              "Chứng thư",
		`hub: 401 Unauthorized`:                   "Khóa truy cập",
		`something odd happened`:                  "Lỗi kết nối liên thông",
		`Cơ quan nhận không tồn tại trên máy chủ`: "Cơ quan nhận không tồn tại",
	} {
		if got := hubError(in); !strings.Contains(got, want) {
			t.Errorf("hubError(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLienThongIsDiscoverableWhenOff(t *testing.T) {
	e := newEnv(t)
	e.signIn(e.setUp())
	if !strings.Contains(e.ui.shell.hub.Text, "chưa bật") || !e.ui.shell.hub.Visible() {
		t.Errorf("the status bar does not say liên thông is off: %q", e.ui.shell.hub.Text)
	}
}
