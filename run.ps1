# Windows entry point for a clone: the same dotnet command the README gives, nothing more.
#   .\run.ps1                                      the README's main job (compare hash on a generated sample)
#   .\run.ps1 run hash D:\data -o D:\out --json    any pipeline command
# Exits with pipeline's own exit code, which Task Scheduler shows as "Last Run Result":
#   0 ok, 1 some files failed, 2 bad arguments, 75 output folder in use by another run, 130 cancelled.
# A scheduled task runs the installed tool instead (docs/deploying.md and docs/scheduled-runs.md), e.g.
#   schtasks /Create /TN "Pipeline hash" /SC DAILY /ST 02:15 /TR "C:\pipeline\pipeline.exe run hash D:\data -o D:\sums --resume --quiet --log D:\logs\pipeline.log"
$ErrorActionPreference = 'Stop'
Set-Location -LiteralPath $PSScriptRoot
if ($args.Count -eq 0) {
    $args = @('compare', 'hash')
}
dotnet run --project src/Pipeline.Cli -c Release -- @args
exit $LASTEXITCODE
