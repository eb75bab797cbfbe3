package app

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"motcua/resources"
)

// Fuzz tests for every reader of outside input in the domain. Seed corpora
// live in testdata/fuzz/; CI runs each target for 30 s (scripts/fuzz.sh).

func FuzzCheckPersonalID(f *testing.F) {
	for _, s := range []string{"022190001234", "123456789", "B1234567", "0221900012345", "", "٠١٢٣٤٥٦٧٨٩٠١", "000000000000"} {
		f.Add("cccd", s)
		f.Add("cmnd", s)
		f.Add("passport", s)
	}
	f.Fuzz(func(t *testing.T, kind, s string) {
		w, err := CheckPersonalID(IDType(kind), s)
		if err != nil && KindOf(err) != KindInvalid {
			t.Fatalf("unexpected kind: %v", err)
		}
		if err == nil && IDType(kind) == IDCCCD {
			s = strings.TrimSpace(s)
			if len(s) != 12 || strings.Trim(s, "0123456789") != "" {
				t.Fatalf("accepted CCCD %q", s)
			}
		}
		if err != nil && w != "" {
			t.Fatal("warning with error")
		}
	})
}

func FuzzCheckPhone(f *testing.F) {
	for _, s := range []string{"0912345678", "+84912345678", "0912 345 678", "02373888999", "+842373888999", "123", "09123456789"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckPhone(s)
		if err == nil {
			// National form: 0 + 9 digits (mobile) or 0 + 10 (landline);
			// international: +84 and the same without the 0.
			n := NormalizePhone(s)
			digits := strings.TrimPrefix(n, "+84")
			if digits == n {
				digits = strings.TrimPrefix(n, "0")
			}
			if digits == n || len(digits) < 9 || len(digits) > 10 || strings.Trim(digits, "0123456789") != "" {
				t.Fatalf("accepted phone %q", s)
			}
		}
	})
}

func FuzzAgencyAndDossierCode(f *testing.F) {
	for _, s := range []string{"000.00.01.H22-250115-0001", "000.00.00.H56-991231-9999", "000.00.01.H22-250230-0001", "x", "000.00.01.h22-250115-0001", "000.00.01.H22-250115-00001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ag, day, seq, err := ParseDossierCode(s)
		if err != nil {
			if KindOf(err) != KindInvalid {
				t.Fatal(err)
			}
			return
		}
		if ValidAgencyCode(ag) != nil || seq < 1 {
			t.Fatalf("parsed %q into bad parts %q %d", s, ag, seq)
		}
		if again := DossierCode(ag, day, seq); again != s {
			t.Fatalf("round trip %q → %q", s, again)
		}
	})
}

func FuzzParseCatalogue(f *testing.F) {
	f.Add(resources.Catalogue)
	f.Add([]byte(`[{"code":"1.001193","name":"Khai sinh","field":"Hộ tịch","documents":[{"name":"Tờ khai","originals":1}],"time":{"kind":"working_hours","hours":8},"fee":{"kind":"free"}}]`))
	f.Add([]byte(`[{"code":"1.001193","time":{"kind":"same_day","cutoff":"25:00"}}]`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, err := ParseCatalogue(data)
		if err != nil {
			if KindOf(err) != KindInvalid {
				t.Fatalf("unexpected kind: %v", err)
			}
			return
		}
		cal := NewCalendar(DefaultOfficeHours(), nil)
		at := time.Date(2025, 4, 28, 9, 0, 0, 0, Vietnam)
		for _, p := range ps {
			if !utf8.ValidString(p.Name) || ValidProcedureCode(p.Code) != nil || p.Time.Validate() != nil {
				t.Fatalf("accepted invalid procedure %+v", p)
			}
			if due, ok := cal.Due(at, p.Time); ok && due.Before(at) {
				t.Fatalf("due %v before receipt for %+v", due, p.Time)
			}
			if fee := p.Fee.Compute(FeeInput{Pages: 3, Copies: 2, Cases: 1}); fee < 0 {
				t.Fatalf("negative fee %d", fee)
			}
		}
	})
}
