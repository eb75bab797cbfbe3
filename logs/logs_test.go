package logs

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

func TestLogTimesAreVietnamTime(t *testing.T) {
	var b strings.Builder
	l := logrus.New()
	Configure(l, &b, logrus.InfoLevel)
	l.WithTime(time.Date(2025, 4, 29, 2, 0, 0, 0, time.UTC)).Info("x")
	if !strings.Contains(b.String(), `time="2025-04-29T09:00:00+07:00"`) {
		t.Errorf("log line %q is not in Vietnam time", b.String())
	}
}

func TestASecondInstanceLogsBesideTheFirst(t *testing.T) {
	dir := t.TempDir()
	c1, err := OpenFile(dir, "motcua.log", logrus.InfoLevel)
	if err != nil {
		t.Fatal(err)
	}
	logrus.Info("first instance line")
	c2, err := OpenFile(dir, "motcua-2.log", logrus.InfoLevel)
	if err != nil {
		t.Fatal(err)
	}
	logrus.Info("second instance line")
	_ = c2()
	_ = c1()
	one, _ := os.ReadFile(filepath.Join(dir, "motcua.log"))
	if !strings.Contains(string(one), "first instance line") || strings.Contains(string(one), "second instance") {
		t.Errorf("motcua.log = %q", one)
	}
}
