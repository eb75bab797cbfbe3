package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckJSON(t *testing.T) {
	deep := func(n int) []byte {
		return []byte(`{"form_data":` + strings.Repeat("[", n-1) + strings.Repeat("]", n-1) + `}`)
	}
	for name, tc := range map[string]struct {
		body []byte
		ok   bool
	}{
		"flat":                {[]byte(`{"a":1}`), true},
		"32 levels":           {deep(32), true},
		"33 levels":           {deep(33), false},
		"10000 levels":        {deep(10000), false},
		"brackets in strings": {[]byte(`{"a":"` + strings.Repeat("[", 100) + `\"[{"}`), true},
		"invalid UTF-8":       {[]byte("{\"a\":\"\xff\"}"), false},
		"overlong encoding":   {[]byte("{\"a\":\"\xc0\xaf\"}"), false},
		"vietnamese":          {[]byte(`{"a":"Nguyễn Văn An"}`), true},
	} {
		t.Run(name, func(t *testing.T) {
			p := CheckJSON(tc.body)
			if (p == nil) != tc.ok {
				t.Fatalf("CheckJSON = %v, want ok=%v", p, tc.ok)
			}
			if p != nil && (p.Code != CodeValidationFailed || p.Status != 400) {
				t.Fatalf("problem %+v", p)
			}
		})
	}
}

// tokenDepth is the reference: encoding/json's tokenizer on valid JSON.
func tokenDepth(b []byte) (int, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	d, max := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return max, true
		}
		if err != nil {
			return 0, false
		}
		if dl, ok := tok.(json.Delim); ok {
			if dl == '{' || dl == '[' {
				d++
				if d > max {
					max = d
				}
			} else {
				d--
			}
		}
	}
}

// FuzzCheckJSON: on valid JSON the scanner's depth is the tokenizer's, and
// CheckJSON accepts exactly the bodies within the limit; nothing panics.
func FuzzCheckJSON(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":"[["}]}`))
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`))
	f.Add([]byte("\"\\\"[\""))
	f.Add([]byte("{\"\xff\":1}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := CheckJSON(b)
		if !utf8.Valid(b) {
			if p == nil {
				t.Fatalf("invalid UTF-8 accepted: %q", b)
			}
			return
		}
		if !json.Valid(b) {
			return
		}
		want, ok := tokenDepth(b)
		if !ok {
			return
		}
		got, _ := JSONDepth(b, 1<<30)
		if got != want {
			t.Fatalf("JSONDepth = %d, tokenizer says %d for %q", got, want, b)
		}
		if (p == nil) != (want <= MaxJSONDepth) {
			t.Fatalf("CheckJSON = %v at depth %d", p, want)
		}
	})
}
