; Inno Setup 6 script for CRM desktop on Windows (x64). From the repository root, on Windows, after
; `pyinstaller --noconfirm installers\crm-desktop.spec` has made dist\crm-desktop\:
;
;     "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installers\windows\crm-desktop.iss
;
; → dist\crm-desktop-0.1.0-setup.exe. Written and reviewed on Linux, NOT compiled or run there:
; installers/README.md lists what has to be checked on a Windows build machine.
;
; What it installs: the bundle in {autopf}\CRM desktop (crm-desktop.exe, crm-admin.exe), Start-menu
; entries (the program, the uninstaller), crm-admin on the system PATH (a task,
; on by default), and — only when the "office server" task is chosen — an inbound firewall rule for
; crm-admin.exe (its TLS front is what listens on the LAN: `crm-admin server start --listen 0.0.0.0`),
; private and domain networks only. The uninstaller removes the program, the PATH entry and the rule;
; it never removes data: each user's %LOCALAPPDATA%\crm-desktop\server (this PC's server), the
; settings in HKCU\Software\crm-desktop, nor an office server's data folder.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "CRM desktop"
#define Bundle "..\..\dist\crm-desktop"
#define FirewallRule "CRM desktop office server"

[Setup]
AppId={{6B0E4C57-3D2A-4E55-9C3F-8A51C0D2E7B1}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=CRM desktop
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=crm-desktop-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\crm-desktop.ico
UninstallDisplayIcon={app}\crm-desktop.exe
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; the firewall rule and the system PATH need an administrator
PrivilegesRequired=admin
ChangesEnvironment=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif

[CustomMessages]
english.AddToPath=Put crm-admin on the PATH (for the command prompt)
english.OfficeServer=This PC is the office server: allow crm-admin through Windows Firewall (private and domain networks)
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
chinesesimplified.AddToPath=将 crm-admin 加入 PATH（命令提示符中使用）
chinesesimplified.OfficeServer=本机作为办公室服务器：允许 crm-admin 通过 Windows 防火墙（专用和域网络）
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "{cm:AddToPath}"
Name: "officeserver"; Description: "{cm:OfficeServer}"; Flags: unchecked

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\README.md"; DestDir: "{app}"; DestName: "README-installers.md"; Flags: ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\crm-desktop.exe"; IconFilename: "{app}\crm-desktop.exe"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\crm-desktop.exe"; Tasks: desktopicon

[Registry]
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; ValueType: expandsz; \
  ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NotOnPath(ExpandConstant('{app}'))

[Run]
Filename: "{sys}\netsh.exe"; \
  Parameters: "advfirewall firewall add rule name=""{#FirewallRule}"" dir=in action=allow protocol=TCP program=""{app}\crm-admin.exe"" profile=private,domain enable=yes"; \
  Flags: runhidden; Tasks: officeserver; StatusMsg: "Windows Firewall…"
Filename: "{app}\crm-desktop.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall delete rule name=""{#FirewallRule}"""; \
  Flags: runhidden; RunOnceId: "DeleteFirewallRule"

[Code]
const
  EnvKey = 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment';

function NotOnPath(Dir: string): Boolean;
var
  Path: string;
begin
  if not RegQueryStringValue(HKEY_LOCAL_MACHINE, EnvKey, 'Path', Path) then
    Result := True
  else
    Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Path) + ';') = 0;
end;

{ the uninstaller takes {app} out of the system PATH again }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Path, Dir: string;
  At: Integer;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  if not RegQueryStringValue(HKEY_LOCAL_MACHINE, EnvKey, 'Path', Path) then
    Exit;
  Dir := ExpandConstant('{app}');
  Path := ';' + Path + ';';
  At := Pos(';' + Uppercase(Dir) + ';', Uppercase(Path));
  if At = 0 then
    Exit;
  Delete(Path, At, Length(Dir) + 1);
  Path := Copy(Path, 2, Length(Path) - 2);
  RegWriteExpandStringValue(HKEY_LOCAL_MACHINE, EnvKey, 'Path', Path);
end;
