// Package logs writes the application log to a size-limited, rotating file in
// the data folder. It never writes personal ID numbers, passwords or keys: a
// formatter masks them before a line reaches the disk.
package logs

import (
	"io"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
	"gopkg.in/natefinch/lumberjack.v2"
)

// Rotation limits: five files of 5 MB each.
const (
	MaxSizeMB  = 5
	MaxBackups = 4 // plus the current file: 5 × 5 MB
)

// Open configures logrus's standard logger to write to dir/motcua.log and
// returns a function that flushes and closes the file. The standard library
// logger (used by Fyne for its own errors) is redirected to the same file.
func Open(dir string, level logrus.Level) (closeFn func() error, err error) {
	return OpenFile(dir, "motcua.log", level)
}

// OpenFile is Open with another file name (a second instance that found the
// database in use logs beside the first one, not over its lines).
func OpenFile(dir, name string, level logrus.Level) (closeFn func() error, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	w := &lumberjack.Logger{
		Filename:   filepath.Join(dir, name),
		MaxSize:    MaxSizeMB,
		MaxBackups: MaxBackups,
		LocalTime:  true,
	}
	Configure(logrus.StandardLogger(), w, level)
	return w.Close, nil
}

// Configure points l at w with the redacting formatter and redirects the
// standard library logger to l.
func Configure(l *logrus.Logger, w io.Writer, level logrus.Level) {
	l.SetOutput(w)
	l.SetLevel(level)
	l.SetFormatter(&Redactor{Inner: &logrus.TextFormatter{DisableColors: true, FullTimestamp: true, TimestampFormat: time.RFC3339}})
	log.SetFlags(0)
	log.SetOutput(l.WriterLevel(logrus.WarnLevel))
}

// Redactor wraps another formatter and masks secrets: fields whose name looks
// like a password, key, token or secret, and any 9- or 12-digit number (CMND,
// CCCD) in the message or in field values.
type Redactor struct {
	Inner logrus.Formatter
}

var (
	idNumber   = regexp.MustCompile(`(^|[^0-9])([0-9]{12}|[0-9]{9})([^0-9]|$)`)
	secretKV   = regexp.MustCompile(`(?i)\b(password|passwd|pass|mật khẩu|mat_khau|secret|token|api[_-]?key|hub[_-]?key|key)(\s*[=:]\s*)("[^"]*"|\S+)`)
	secretName = regexp.MustCompile(`(?i)(password|passwd|secret|token|key|mat_?khau)`)
)

// Vietnam is the zone of the log's times (UTC+7, no daylight saving).
var Vietnam = time.FixedZone("ICT", 7*60*60)

// Mask is the text that replaces a secret.
const Mask = "[ẩn]"

// Format implements logrus.Formatter.
func (r *Redactor) Format(e *logrus.Entry) ([]byte, error) {
	c := *e
	c.Time = e.Time.In(Vietnam) // the time the screens show, whatever the PC's zone
	c.Message = Redact(e.Message)
	c.Data = make(logrus.Fields, len(e.Data))
	for k, v := range e.Data {
		switch {
		case secretName.MatchString(k):
			c.Data[k] = Mask
		default:
			if s, ok := v.(string); ok {
				c.Data[k] = Redact(s)
			} else if err, ok := v.(error); ok {
				c.Data[k] = Redact(err.Error())
			} else {
				c.Data[k] = v
			}
		}
	}
	out, err := r.Inner.Format(&c)
	if err != nil {
		return nil, err
	}
	// Values the formatter rendered itself (for example %v of a struct).
	return []byte(Redact(string(out))), nil
}

// Redact masks ID numbers and key=value secrets in s.
func Redact(s string) string {
	if s == "" {
		return s
	}
	s = secretKV.ReplaceAllString(s, "${1}${2}"+Mask)
	// Run twice: adjacent numbers share their separator.
	for range 2 {
		s = idNumber.ReplaceAllStringFunc(s, func(m string) string {
			sub := idNumber.FindStringSubmatch(m)
			return sub[1] + strings.Repeat("*", len(sub[2])-3) + sub[2][len(sub[2])-3:] + sub[3]
		})
	}
	return s
}
