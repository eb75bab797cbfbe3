package forms

import (
	"bytes"
	"maps"
	"slices"
	"testing"

	"fyne.io/fyne/v2/theme"

	"motcua/app"
)

func TestForDossier(t *testing.T) {
	plain := func(s app.State) *app.Dossier { return &app.Dossier{State: s} }
	cases := []struct {
		name string
		d    *app.Dossier
		want []Kind
	}{
		{"nil", nil, nil},
		{"online, not accepted", plain(app.StateSubmitted), nil},
		{"refused", plain(app.StateRefused), []Kind{KindRefusal}},
		{"received", plain(app.StateReceived), []Kind{KindReceipt, KindControl}},
		{"processing with a supplement and a delay", testDossier(), []Kind{KindReceipt, KindControl, KindSupplement, KindApology}},
		{"stopped", stoppedDossier(), []Kind{KindReceipt, KindControl, KindSupplement, KindApology, KindStop}},
		{"returned", returnedDossier(), []Kind{KindReceipt, KindControl, KindSupplement, KindApology, KindResultReceipt}},
		{"resolved", plain(app.StateResolved), []Kind{KindReceipt, KindControl}},
	}
	for _, c := range cases {
		if got := ForDossier(c.d); !slices.Equal(got, c.want) {
			t.Errorf("%s: ForDossier = %v, want %v", c.name, got, c.want)
		}
	}
}

// Render draws exactly the forms ForDossier offers.
func TestRender(t *testing.T) {
	o := testOffice()
	for _, d := range []*app.Dossier{testDossier(), refusedDossier(), stoppedDossier(), returnedDossier()} {
		for _, k := range ForDossier(d) {
			b, err := Render(k, o, d, officer)
			if err != nil {
				t.Errorf("%s %s: %v", d.State, k, err)
				continue
			}
			if !bytes.HasPrefix(b, []byte("%PDF-")) {
				t.Errorf("%s %s: not a PDF", d.State, k)
			}
		}
	}
	if _, err := Render(KindRegister, o, testDossier(), officer); !app.Is(err, app.KindInvalid) {
		t.Errorf("register through Render: %v", err)
	}
	if _, err := Render("nope", o, testDossier(), officer); !app.Is(err, app.KindInvalid) {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := Render(KindReceipt, o, nil, officer); !app.Is(err, app.KindInvalid) {
		t.Errorf("nil dossier: %v", err)
	}
}

func TestFormSets(t *testing.T) {
	if got := FormSets(); !slices.Equal(got, []string{"tt03-2025", "tt01-2018"}) {
		t.Fatalf("FormSets = %v", got)
	}
	if FormSetName("tt01-2018") != "Thông tư số 01/2018/TT-VPCP" {
		t.Errorf("FormSetName = %q", FormSetName("tt01-2018"))
	}
	if FormTitle("", KindApology) != "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" {
		t.Errorf("default apology title = %q", FormTitle("", KindApology))
	}
	o := testOffice()
	o.FormSet = "tt99-2030"
	if _, err := Receipt(o, testDossier(), officer, 1); !app.Is(err, app.KindInvalid) {
		t.Errorf("unknown form set: %v", err)
	}
}

// Every set carries the same label keys as the default, so that a form never
// misses a label only in a rarely printed branch.
func TestFormSetsSameKeys(t *testing.T) {
	sets, err := loadSets()
	if err != nil {
		t.Fatal(err)
	}
	def := sets[DefaultFormSet]
	for id, s := range sets {
		if !slices.Equal(slices.Sorted(maps.Keys(s.Common)), slices.Sorted(maps.Keys(def.Common))) {
			t.Errorf("%s: common labels differ from %s", id, DefaultFormSet)
		}
		for _, k := range Kinds() {
			a, b := s.Forms[k], def.Forms[k]
			if a.Title == "" {
				t.Errorf("%s %s: no title", id, k)
			}
			if !slices.Equal(slices.Sorted(maps.Keys(a.Labels)), slices.Sorted(maps.Keys(b.Labels))) {
				t.Errorf("%s %s: labels differ from %s", id, k, DefaultFormSet)
			}
			if (a.Number == "") != (b.Number == "") {
				t.Errorf("%s %s: number line differs from %s", id, k, DefaultFormSet)
			}
		}
	}
}

// The 2018 set prints its own titles and form numbers.
func TestFormSet2018(t *testing.T) {
	o := testOffice()
	o.FormSet = "tt01-2018"
	for name, render := range everyForm(o) {
		if _, err := render(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	b, err := Apology(o, testDossier(), 0)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, pdfText(t, writePDF(t, "apology2018.pdf", b)),
		"PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Mẫu số 05 ban hành kèm theo Thông tư số 01/2018/TT-VPCP")
	b, err = ControlSheet(o, testDossier())
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, pdfText(t, writePDF(t, "control2018.pdf", b)),
		"PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Mẫu số 04 ban hành kèm theo Thông tư số 01/2018/TT-VPCP")
	b, err = Receipt(o, testDossier(), officer, 1)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, pdfText(t, writePDF(t, "receipt2018.pdf", b)),
		"Bộ phận tiếp nhận và trả kết quả: UBND xã Tân Lập", "Mẫu số 01 ban hành kèm theo Thông tư số 01/2018/TT-VPCP")
}

// Every form in every set draws every label it needs (a missing key is an error).
func TestEveryFormEverySet(t *testing.T) {
	for _, set := range FormSets() {
		o := testOffice()
		o.FormSet = set
		for name, render := range everyForm(o) {
			if _, err := render(); err != nil {
				t.Errorf("%s %s: %v", set, name, err)
			}
		}
	}
}

// Forms are rendered from several goroutines (UI and batch printing).
func TestConcurrentRender(t *testing.T) {
	o := testOffice()
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			_, err := Receipt(o, testDossier(), officer, 2)
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// gofpdf writes into the font bytes it parses; Fyne's own resource, which the
// screen renders from, must stay untouched.
func TestFyneFontUntouched(t *testing.T) {
	before := bytes.Clone(theme.DefaultTextFont().Content())
	if _, err := Receipt(testOffice(), testDossier(), officer, 1); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, theme.DefaultTextFont().Content()) {
		t.Fatal("rendering changed Fyne's font bytes")
	}
}
