// Command motcua is the desktop application of a commune one-stop office
// (Bộ phận Một cửa): receive dossiers at the counter, follow their
// processing and return the results.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	fyneapp "fyne.io/fyne/v2/app"
	"github.com/sirupsen/logrus"

	"motcua/app"
	"motcua/logs"
	"motcua/ui"
)

// config is what the command line asks for.
type config struct {
	dataDir string
	db      string // PostgreSQL connection string (several desks); "" = the bbolt file in dataDir
	savedDB bool   // db is the server kept in the data folder (server.conf)
	moveTo  string // --migrate-to: copy the office in dataDir to this PostgreSQL database and quit
	demo    bool
	lang    string
	screen  string // hidden, for screenshots: home, receive, dossiers, detail, settings
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("motcua", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.dataDir, "data", defaultDataDir(), "thư mục dữ liệu (cơ sở dữ liệu, nhật ký)")
	fs.StringVar(&c.db, "db", "", "máy chủ PostgreSQL dùng chung cho nhiều máy, ví dụ postgres://motcua@may-chu:5432/motcua (mặc định: một máy, tệp trong thư mục dữ liệu)")
	fs.StringVar(&c.moveTo, "migrate-to", "", "chuyển dữ liệu của máy này lên máy chủ PostgreSQL (cơ sở dữ liệu trống) rồi thoát")
	fs.BoolVar(&c.demo, "demo", false, "tạo dữ liệu mẫu nếu chưa có và đăng nhập là cán bộ một cửa")
	fs.StringVar(&c.lang, "lang", "", "ngôn ngữ giao diện: vi hoặc en (mặc định theo cài đặt)")
	fs.StringVar(&c.screen, "screen", os.Getenv("MOTCUA_START_SCREEN"), "")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.db == "" {
		c.db = os.Getenv("MOTCUA_DB") // not the flag's default: --help would print its password
	}
	if c.db == "" {
		c.db = savedServer(c.dataDir) // chosen in the set-up wizard or after moving up
		c.savedDB = c.db != ""
	}
	if c.lang != "" && c.lang != "vi" && c.lang != "en" {
		return c, fmt.Errorf("--lang phải là vi hoặc en, không phải %q", c.lang)
	}
	return c, nil
}

// defaultDataDir is %AppData%\MotCua on Windows, ~/.config/MotCua on Linux.
func defaultDataDir() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = "."
	}
	return filepath.Join(dir, "MotCua")
}

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		os.Exit(2)
	}
	// The database first: a second instance finds it in use and then logs
	// beside the first one rather than over its lines.
	h, err := openHandle(cfg)
	if err == nil {
		h = &swapHandle{h: h} // the desk may move to a server (app.Servers)
	}
	logName := "motcua.log"
	if app.KindOf(err) == app.KindLocked {
		logName = "motcua-2.log"
	}
	closeLog, lerr := logs.OpenFile(filepath.Join(cfg.dataDir, "logs"), logName, logrus.InfoLevel)
	if lerr != nil {
		fmt.Fprintln(os.Stderr, lerr)
		os.Exit(1)
	}
	defer closeLog()
	if cfg.moveTo != "" {
		code := moveUp(cfg.dataDir, cfg.moveTo, os.Stdout)
		closeLog()
		os.Exit(code)
	}
	logrus.WithField("data", cfg.dataDir).Info("starting")

	// Without OpenGL no window can open: say so (a native message box on
	// Windows), release the database and exit, rather than linger unseen.
	if gerr := probeGL(); gerr != nil {
		logrus.WithError(gerr).Error("OpenGL")
		if h != nil {
			h.Close()
		}
		noGLMessage(noGLText)
		closeLog()
		os.Exit(1)
	}

	fa := fyneapp.NewWithID("vn.gov.motcua")
	if err != nil {
		logrus.WithError(err).Error("open database")
		msg := "Không mở được cơ sở dữ liệu: " + err.Error()
		if app.KindOf(err) == app.KindLocked {
			msg = "Cơ sở dữ liệu đang được sử dụng bởi một cửa sổ Một Cửa khác"
		}
		if cfg.savedDB {
			msg += "\n\nMáy chủ được chọn khi thiết lập ghi trong tệp " + filepath.Join(cfg.dataDir, serverFile) +
				": kiểm tra máy chủ và mạng, hoặc sửa tệp đó (xóa tệp thì máy này dùng lại dữ liệu riêng)."
		}
		ui.ShowFatal(fa, msg)
		os.Exit(1)
	}
	d := newDesk(h, cfg.dataDir)
	defer d.Close()
	opts := ui.Options{Demo: cfg.demo, Language: cfg.lang, StartScreen: cfg.screen, Background: true, Servers: d}
	if hub := d.client(); hub != nil {
		ctx, stop := context.WithCancel(context.Background())
		defer stop()
		d.updater = startUpdater(ctx, hub, cfg.dataDir)
		opts.Updates = d.updater
	}
	w := ui.New(fa, d, opts)
	fa.Lifecycle().SetOnStarted(func() { fitToScreen(w.Window()) })
	w.Start()
	w.ShowAndRun()
	logrus.Info("stopped")
}
