package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"motcua/resources"
)

// Languages the interface speaks. Vietnamese is the default.
var Languages = []string{"vi", "en"}

// SetLanguage loads the translations and makes code ("vi" or "en") the
// language of every later lang.L call, whatever the system locale says.
//
// Fyne 2.7 picks the translation closest to the system locale and has no way
// to force another one, so the chosen file is also registered under the
// system's locale (and its base language): the closest match then speaks the
// chosen language. Both files carry the same keys, so switching back and
// forth replaces every message.
func SetLanguage(code string) error {
	if code != "en" {
		code = "vi"
	}
	data, err := resources.Translations.ReadFile("translations/" + code + ".json")
	if err != nil {
		return err
	}
	if err := lang.AddTranslationsForLocale(data, fyne.Locale(code)); err != nil {
		return fmt.Errorf("translations %s: %w", code, err)
	}
	sys := string(lang.SystemLocale())
	aliases := []string{"en"} // the fallback when the system has no locale at all
	if sys != "" {
		aliases = append(aliases, sys)
		if base, _, ok := strings.Cut(sys, "-"); ok {
			aliases = append(aliases, base)
		}
	}
	for _, a := range aliases {
		if a == code {
			continue
		}
		if err := lang.AddTranslationsForLocale(data, fyne.Locale(a)); err != nil {
			return fmt.Errorf("translations %s as %s: %w", code, a, err)
		}
	}
	current = code
	return nil
}

var current = "vi"

// Language is the language set by the last SetLanguage.
func Language() string { return current }
