package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"strings"
	"time"

	"motcua/app"
)

const sep = 0x00

// u64 encodes n big-endian, so that byte order is numeric order.
func u64(n uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return b[:]
}

// timeKey encodes t as 8 big-endian bytes of Unix nanoseconds: byte order is
// time order. The zero time (and anything before 1970) encodes as 0.
func timeKey(t time.Time) []byte {
	if t.IsZero() || t.Before(time.Unix(0, 0)) {
		return u64(0)
	}
	return u64(uint64(t.UnixNano()))
}

// noDue is the due key of a dossier without an appointment date.
const noDue = math.MaxUint64

// dueKey is timeKey, except that "no appointment date" sorts after every date.
func dueKey(t time.Time) []byte {
	if t.IsZero() {
		return u64(noDue)
	}
	return timeKey(t)
}

func cat(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// field is a string followed by the separator: the prefix of a value's keys.
func field(s string) []byte { return append([]byte(s), sep) }

// prefixEnd returns the smallest key greater than every key starting with p,
// or nil when there is none.
func prefixEnd(p []byte) []byte {
	out := append([]byte{}, p...)
	for i := len(out) - 1; i >= 0; i-- {
		if out[i] < 0xFF {
			out[i]++
			return out[:i+1]
		}
	}
	return nil
}

func historyKey(code string, seq int) []byte { return cat(field(code), u64(uint64(seq))) }

func splitHistoryKey(k []byte) (code string, seq int, ok bool) {
	if len(k) < 10 || k[len(k)-9] != sep {
		return "", 0, false
	}
	return string(k[:len(k)-9]), int(binary.BigEndian.Uint64(k[len(k)-8:])), true
}

// idKey is how an ID number is indexed: passports and tax codes may be typed
// in either case.
func idKey(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// phoneKey is how a phone number is indexed: separators removed, +84 as 0.
func phoneKey(s string) string {
	p := app.NormalizePhone(s)
	if strings.HasPrefix(p, "+84") {
		p = "0" + p[3:]
	}
	return p
}

func encode(v any) ([]byte, error) { return json.Marshal(v) }

func decode(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return app.E("storage.decode", app.KindOther, app.MsgStoreCorrupt, err)
	}
	return nil
}

func hasPrefix(k, p []byte) bool { return bytes.HasPrefix(k, p) }
