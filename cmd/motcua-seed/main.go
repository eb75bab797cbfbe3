// Command motcua-seed prepares a data folder of the desktop app for a
// liên thông demonstration: it creates a demo office (the app's demo data for
// the default commune, or an empty office with demo users for another agency
// code) and writes the hub's address and key into the office settings.
//
//	motcua-seed --data DIR [--code 000.00.01.H56 --name "Sở Tư pháp" --level department]
//	            --hub http://127.0.0.1:8088 --key-file FILE
//
// The key is read from a file (or the MOTCUA_HUB_KEY environment variable),
// never from the command line, so that it does not show in process lists.
// Demo users sign in with the password "demo".
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"motcua/app"
	"motcua/storage"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "motcua-seed:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("motcua-seed", flag.ContinueOnError)
	data := fs.String("data", "", "data folder of the app (as for motcua --data)")
	code := fs.String("code", "000.00.31.H56", "agency code (mã định danh); the default gets the full demo data")
	name := fs.String("name", "", "agency name (default: the demo commune's)")
	level := fs.String("level", string(app.LevelCommune), "province, department, commune or other")
	hubURL := fs.String("hub", "", "hub base URL, e.g. http://127.0.0.1:8088")
	keyFile := fs.String("key-file", "", "file holding the agency's hub key (default: $MOTCUA_HUB_KEY)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" {
		return errors.New("--data is required")
	}
	key := os.Getenv("MOTCUA_HUB_KEY")
	if *keyFile != "" {
		b, err := os.ReadFile(*keyFile)
		if err != nil {
			return err
		}
		key = strings.TrimSpace(string(b))
	}
	db, err := storage.Open(filepath.Join(*data, "motcua.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	svc := app.NewService(db, app.SystemClock{})
	ok, err := svc.IsSetUp()
	if err != nil {
		return err
	}
	if !ok {
		if *code == "000.00.31.H56" && *name == "" {
			if _, err := svc.SeedDemo(time.Now()); err != nil {
				return err
			}
		} else if err := seedOffice(db, *code, *name, app.AgencyLevel(*level)); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "office %s created in %s (users: quantri, tiepnhan, chuyenvien, lanhdao; password %q)\n", *code, *data, app.DemoPassword)
	}
	if *hubURL == "" && key == "" {
		return nil
	}
	return db.Update(func(tx app.Tx) error {
		st, err := tx.Settings()
		if err != nil {
			return err
		}
		if *hubURL != "" {
			st.HubURL = strings.TrimRight(*hubURL, "/")
		}
		if key != "" {
			st.HubKey = key
		}
		return tx.PutSettings(st)
	})
}

// seedOffice creates an office with demo users, the seed catalogue and the
// statutory holidays, but no dossiers: it will receive them by transfer.
func seedOffice(db *storage.DB, code, name string, level app.AgencyLevel) error {
	if err := app.ValidAgencyCode(code); err != nil {
		return err
	}
	if name == "" {
		name = "Cơ quan " + code
	}
	now := time.Now().In(app.Vietnam)
	procs, err := app.SeedCatalogue()
	if err != nil {
		return err
	}
	hash, err := app.HashPassword(app.DemoPassword)
	if err != nil {
		return err
	}
	users := []app.User{
		{Username: "quantri", FullName: "Lê Văn Quản", Title: "Quản trị hệ thống", Unit: "Văn phòng", Roles: []app.Role{app.RoleAdmin}},
		{Username: "tiepnhan", FullName: "Đỗ Thị Thu", Title: "Công chức Bộ phận Một cửa", Unit: "Bộ phận Một cửa", Roles: []app.Role{app.RoleReceiver}},
		{Username: "chuyenvien", FullName: "Vũ Minh Khoa", Title: "Chuyên viên", Unit: "Phòng Hộ tịch", Roles: []app.Role{app.RoleSpecialist}},
		{Username: "lanhdao", FullName: "Hoàng Quốc Bảo", Title: "Phó Giám đốc", Unit: "Ban Giám đốc", Roles: []app.Role{app.RoleLeader}},
	}
	return db.Update(func(tx app.Tx) error {
		if err := tx.PutAgency(&app.Agency{Code: code, Name: name, GoverningBody: "UBND TỈNH THANH HÓA", Place: "Thanh Hóa",
			Level: level, Hours: app.DefaultOfficeHours()}); err != nil {
			return err
		}
		for i := range users {
			users[i].PasswordHash, users[i].CreatedAt = hash, now
			if err := tx.PutUser(&users[i]); err != nil {
				return err
			}
		}
		for i := range procs {
			procs[i].Transferable = true
			if err := tx.PutProcedure(&procs[i]); err != nil {
				return err
			}
		}
		for _, y := range []int{now.Year(), now.Year() + 1} {
			for _, e := range app.StatutoryHolidays(y) {
				if err := tx.PutCalendarEntry(e); err != nil {
					return err
				}
			}
		}
		return tx.PutSettings(app.DefaultSettings())
	})
}
