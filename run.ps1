# Windows / Task Scheduler entry point: the same dotnet command the README gives, nothing more.
#   .\run.ps1                                      the README's main job (compare hash on testdata)
#   .\run.ps1 run hash D:\data -o D:\out --json    any pipeline command
# Exits with pipeline's own exit code: 0 ok, 1 some files failed, 2 bad arguments, 130 cancelled.
$ErrorActionPreference = 'Stop'
Set-Location -LiteralPath $PSScriptRoot
if ($args.Count -eq 0) {
    $args = @('compare', 'hash', 'testdata')
}
dotnet run --project src/Pipeline.Cli -c Release -- @args
exit $LASTEXITCODE
