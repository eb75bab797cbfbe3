package logs

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"
)

func TestRedact(t *testing.T) {
	cases := []struct{ in, want string }{
		{"CCCD 001203004567 ok", "CCCD *********567 ok"},
		{"cmnd=123456789", "cmnd=******789"},
		{"code 000.00.01.H22-250115-0001", "code 000.00.01.H22-250115-0001"},
		{"phone 0912345678", "phone 0912345678"}, // 10 digits: not an ID number
		{"password=hunter2 next", "password=" + Mask + " next"},
		{`hub_key: "abc def"`, "hub_key: " + Mask},
		{"001203004567,001203004568", "*********567,*********568"},
	}
	for _, c := range cases {
		if got := Redact(c.in); got != c.want {
			t.Errorf("Redact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFormatterMasksFieldsAndMessages(t *testing.T) {
	var buf bytes.Buffer
	l := logrus.New()
	Configure(l, &buf, logrus.InfoLevel)
	l.WithFields(logrus.Fields{
		"password": "s3cret",
		"HubKey":   "k-123",
		"id":       "079203001234",
		"err":      errors.New("bad id 079203001234"),
		"n":        42,
	}).Info("received dossier for 079203001234")
	out := buf.String()
	for _, secret := range []string{"s3cret", "k-123", "079203001234"} {
		if strings.Contains(out, secret) {
			t.Errorf("log line leaks %q: %s", secret, out)
		}
	}
	if !strings.Contains(out, "*********234") || !strings.Contains(out, "n=42") {
		t.Errorf("log line lost its content: %s", out)
	}
}
