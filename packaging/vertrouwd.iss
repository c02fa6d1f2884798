; Inno Setup script for Vertrouwd: an installer around the PyInstaller one-folder build.
;
; Build the folder first (packaging/README.md), then compile from the repository root:
;   "%LOCALAPPDATA%\Programs\Inno Setup 6\ISCC.exe" packaging\vertrouwd.iss
; or with an explicit version / build folder:
;   ISCC.exe /DAppVersion=0.1.0 /DDistDir=C:\build\dist\vertrouwd packaging\vertrouwd.iss
; The installer is written to dist\installer\vertrouwd-setup-<version>.exe.
;
; Signing (only when a code-signing certificate is configured): define SignToolName and give
; Inno Setup that sign tool's command line; the installer and its uninstaller are then signed:
;   ISCC.exe /DSignToolName=vsign "/Svsign=signtool.exe sign /fd sha256 /td sha256 /tr $TSURL /f $CERT /p $PASS $f" packaging\vertrouwd.iss
; (packaging/WINDOWS.md and .github/workflows/windows.yml show it with the certificate as a secret.)
;
; What it does:
; - asks whether to install for all users of this PC (administrator rights; the program goes to
;   C:\Program Files\Vertrouwd, which AppLocker's default rules allow on managed school PCs)
;   or for the current user only (no administrator rights; %LOCALAPPDATA%\Programs\Vertrouwd).
;   IT can choose silently on the command line: /ALLUSERS or /CURRENTUSER. Only program files go
;   there; the data stay in each user's own folder (below);
; - adds a Start-menu folder "Vertrouwd" with the program and "Vertrouwd verwijderen",
;   and the usual entry under Settings > Apps;
; - never touches the DATA folder. Vertrouwd keeps its encrypted data file in
;   %LOCALAPPDATA%\Vertrouwd (platformdirs' user_data_dir("Vertrouwd", appauthor=False,
;   roaming=False)), the demo in %LOCALAPPDATA%\Vertrouwd-demo. The uninstaller removes only
;   what the installer put in place and then says where the data folder is and that it was
;   left alone. Removing it is a deliberate act of the VP (after a last backup).
;
; Requires Inno Setup 6.3 or newer (x64compatible). Compiled on Windows only.

#ifndef DistDir
  #define DistDir AddBackslash(SourcePath) + "..\dist\vertrouwd"
#endif
#ifndef AppVersion
  ; The file version PyInstaller wrote into vertrouwd.exe (app/__init__.py __version__).
  #define AppVersion GetVersionNumbersString(DistDir + "\vertrouwd.exe")
#endif
#if AppVersion == ""
  #error "No version: build dist\vertrouwd first, or pass /DAppVersion=x.y.z"
#endif
#define AppName "Vertrouwd"
#define GuiExe "vertrouwd-gui.exe"
#define CliExe "vertrouwd.exe"

[Setup]
; A fixed id: an update installs over the previous version (keep it the same forever).
AppId={{6F1C2E7A-5B1D-4C39-9E0A-2D7B8F3C4A51}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Vertrouwd
AppComments=Het dossier van de vertrouwenspersoon voor leerlingen, versleuteld op deze computer.
VersionInfoVersion={#AppVersion}
VersionInfoDescription=Installatie van {#AppName}
; Per user without administrator rights by default; the first page (or /ALLUSERS) offers an
; install for all users in Program Files, the place AppLocker's default rules allow.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
; {autopf}: Program Files for all users, %LOCALAPPDATA%\Programs for the current user only.
DefaultDirName={autopf}\{#AppName}
DisableDirPage=auto
UsePreviousAppDir=yes
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; Relative paths in [Setup] and [Files] are relative to this script's folder.
OutputDir=..\dist\installer
OutputBaseFilename=vertrouwd-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#GuiExe}
; Close a running Vertrouwd before files are replaced (Windows Restart Manager).
CloseApplications=yes
RestartApplications=no
SetupIconFile=..\resources\icons\vertrouwd.ico
#ifdef SignToolName
SignTool={#SignToolName}
SignedUninstaller=yes
#endif

[Languages]
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"

[CustomMessages]
dutch.DemoIcon=Ook een snelkoppeling naar de demoversie (verzonnen leerlingen, om te oefenen)
dutch.DesktopIcon=Een snelkoppeling op het bureaublad
dutch.DemoName=Vertrouwd (demo, verzonnen leerlingen)
dutch.UninstallName=Vertrouwd verwijderen
dutch.StartNow=Vertrouwd nu starten
dutch.NotInDataDir=Kies een andere map. In %1 bewaart Vertrouwd de gegevens; het programma hoort daar niet.
dutch.DataLeft=Vertrouwd is van deze computer verwijderd.%n%nJe gegevens zijn NIET verwijderd. Het versleutelde gegevensbestand staat nog in:%n%n%1%n%nDie map is niet aangeraakt. Installeer je Vertrouwd opnieuw, dan werk je gewoon verder.%n%nWil je de gegevens echt weg? Maak eerst een laatste back-up of draag de open dossiers over, en verwijder daarna zelf die map.
dutch.DataNotFound=Vertrouwd is van deze computer verwijderd.%n%nIn de gewone gegevensmap (%1) stond geen gegevensbestand. Gebruikte je een andere map (bijvoorbeeld op een USB-stick, met --data-dir)? Die is ook niet aangeraakt.
dutch.DemoLeft=%n%nDe demogegevens staan in %1 (ook niet verwijderd).

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: unchecked
Name: "demoicon"; Description: "{cm:DemoIcon}"; Flags: unchecked

[Files]
; The whole PyInstaller folder: vertrouwd.exe, vertrouwd-gui.exe and _internal\.
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; Leftovers of an older build inside the PROGRAM folder only (never the data folder).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"; Comment: "{#AppName}"
Name: "{group}\{cm:DemoName}"; Filename: "{app}\{#GuiExe}"; Parameters: "demo"; WorkingDir: "{app}"; Tasks: demoicon
Name: "{group}\{cm:UninstallName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:StartNow}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program folder. The data folder ({localappdata}\Vertrouwd) is deliberately NOT
; listed here, nor anything under it: the uninstaller must never delete the VP's data.
Type: dirifempty; Name: "{app}"

[Code]
function DataDir(): String;
begin
  { Where Vertrouwd keeps its data by default: platformdirs' user_data_dir on Windows. }
  Result := ExpandConstant('{localappdata}\Vertrouwd');
end;

function DemoDir(): String;
begin
  Result := ExpandConstant('{localappdata}\Vertrouwd-demo');
end;

function SamePath(const A, B: String): Boolean;
begin
  Result := CompareText(RemoveBackslashUnlessRoot(A), RemoveBackslashUnlessRoot(B)) = 0;
end;

function NextButtonClick(CurPageID: Integer): Boolean;
var
  Chosen: String;
begin
  Result := True;
  if CurPageID = wpSelectDir then
  begin
    Chosen := WizardDirValue();
    { The program must never be installed into (or over) the data folder. }
    if SamePath(Chosen, DataDir()) or SamePath(Chosen, DemoDir())
       or (Pos(Lowercase(AddBackslash(DataDir())), Lowercase(AddBackslash(Chosen))) = 1) then
    begin
      MsgBox(FmtMessage(CustomMessage('NotInDataDir'), [DataDir()]), mbError, MB_OK);
      Result := False;
    end;
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Text: String;
begin
  if CurUninstallStep <> usPostUninstall then
    exit;
  if FileExists(AddBackslash(DataDir()) + 'vertrouwd.db') then
    Text := FmtMessage(CustomMessage('DataLeft'), [DataDir()])
  else
    Text := FmtMessage(CustomMessage('DataNotFound'), [DataDir()]);
  if DirExists(DemoDir()) then
    Text := Text + FmtMessage(CustomMessage('DemoLeft'), [DemoDir()]);
  Log('Data folder left alone: ' + DataDir());
  if not UninstallSilent() then
    MsgBox(Text, mbInformation, MB_OK);
end;
