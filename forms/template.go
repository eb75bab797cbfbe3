package forms

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"

	"motcua/app"
)

// DefaultFormSet is the form set of Circular 03/2025/TT-VPCP.
const DefaultFormSet = "tt03-2025"

//go:embed templates/*.json
var templateFS embed.FS

// formText is the wording of one form in a set.
type formText struct {
	Code   string            `json:"code"`   // "Mẫu số 01"; empty for forms the circular does not number
	Title  string            `json:"title"`  // printed in bold capitals
	Short  string            `json:"short"`  // "Giấy tiếp nhận hồ sơ - Mã hồ sơ: {code}", atop every page after the first
	Number string            `json:"number"` // "Số: {code}/HDHS"; empty when the form has no number line
	Labels map[string]string `json:"labels"`
}

// formSet is one templates/*.json file.
type formSet struct {
	ID     string            `json:"id"`
	Name   string            `json:"name"`   // the circular, for the footer reference
	Source string            `json:"source"` // where the wording comes from (templates/README.md)
	Common map[string]string `json:"common"`
	Forms  map[Kind]formText `json:"forms"`
}

var loadSets = sync.OnceValues(func() (map[string]*formSet, error) {
	entries, err := templateFS.ReadDir("templates")
	if err != nil {
		return nil, err
	}
	sets := make(map[string]*formSet)
	for _, e := range entries {
		b, err := templateFS.ReadFile(path.Join("templates", e.Name()))
		if err != nil {
			return nil, err
		}
		var s formSet
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, fmt.Errorf("forms: template %s: %w", e.Name(), err)
		}
		if s.ID+".json" != e.Name() {
			return nil, fmt.Errorf("forms: template %s declares id %q", e.Name(), s.ID)
		}
		for _, k := range Kinds() {
			if _, ok := s.Forms[k]; !ok {
				return nil, fmt.Errorf("forms: template %s has no form %q", e.Name(), k)
			}
		}
		sets[s.ID] = &s
	}
	if sets[DefaultFormSet] == nil {
		return nil, fmt.Errorf("forms: default template %s.json missing", DefaultFormSet)
	}
	return sets, nil
})

// FormSets lists the available form sets (template ids), the default first.
func FormSets() []string {
	sets, err := loadSets()
	if err != nil {
		return nil
	}
	ids := make([]string, 0, len(sets))
	for id := range sets {
		if id != DefaultFormSet {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return append([]string{DefaultFormSet}, ids...)
}

// FormSetName is the circular a form set follows, e.g. "Thông tư số 03/2025/TT-VPCP".
func FormSetName(id string) string {
	s, err := formSetFor(id)
	if err != nil {
		return ""
	}
	return s.Name
}

// FormTitle is the printed title of a form in a set (for menus and file names).
func FormTitle(set string, k Kind) string {
	s, err := formSetFor(set)
	if err != nil {
		return ""
	}
	return s.Forms[k].Title
}

func formSetFor(id string) (*formSet, error) {
	sets, err := loadSets()
	if err != nil {
		return nil, err
	}
	if id == "" {
		id = DefaultFormSet
	}
	s, ok := sets[id]
	if !ok {
		return nil, app.E("forms", app.KindInvalid, app.M(app.MsgFormTemplateSet, id))
	}
	return s, nil
}

// fill replaces {name} placeholders with the given pairs.
func fill(s string, kv ...string) string {
	if len(kv) == 0 || !strings.Contains(s, "{") {
		return s
	}
	pairs := make([]string, 0, len(kv))
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, "{"+kv[i]+"}", kv[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(s)
}
