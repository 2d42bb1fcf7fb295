-- Neovim (0.7+, headless) as the language server's client: opens each file of FA_LSP_FILES, waits for
-- the diagnostics `fa lsp` publishes, asks for hovers and code actions, applies one action to the
-- buffer (never written) and waits for the diagnostics of the edited text. Everything it saw goes to
-- FA_LSP_OUT as JSON; check_lsp_neovim.py judges it.
local env = vim.env
local out = { files = {}, messages = {}, exit_code = nil }
local published = {}

local function fail(what)
  out.error = what
  vim.fn.writefile({ vim.fn.json_encode(out) }, env.FA_LSP_OUT)
  vim.cmd('qall!')
end

local client_id = vim.lsp.start_client({
  name = 'fa',
  cmd = { env.FA, 'lsp', '-p', env.FA_BUILD, '--config', env.FA_CONFIG },
  root_dir = env.FA_ROOT,
  flags = { debounce_text_changes = 0 },
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      local seen = published[result.uri] or { count = 0 }
      published[result.uri] = { count = seen.count + 1, diagnostics = result.diagnostics }
      vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
    end,
    ['window/showMessage'] = function(_, result) table.insert(out.messages, result) end,
  },
  on_exit = function(code) out.exit_code = code end,
})
if not client_id then fail('the client did not start') return end
local client = vim.lsp.get_client_by_id(client_id)

local function request(method, params, buf)
  local reply, err = client.request_sync(method, params, 20000, buf)
  if not reply then return { error = err } end
  return { result = reply.result, error = reply.err }
end

local function wait_published(uri, after)
  return vim.wait(90000, function()
    return published[uri] ~= nil and published[uri].count > after
  end, 20)
end

for path in string.gmatch(env.FA_LSP_FILES, '[^:]+') do
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, client_id)
  local uri = vim.uri_from_bufnr(buf)
  local record = { path = path, uri = uri }
  table.insert(out.files, record)
  if not wait_published(uri, 0) then fail('no diagnostics for ' .. path) return end
  record.diagnostics = published[uri].diagnostics
  record.comment_hover = request('textDocument/hover', { textDocument = { uri = uri }, position = { line = 0, character = 4 } }, buf)
  local first = record.diagnostics[1]
  if first then
    record.hover = request('textDocument/hover', { textDocument = { uri = uri }, position = first.range.start }, buf)
    record.actions = request('textDocument/codeAction',
      { textDocument = { uri = uri }, range = first.range, context = { diagnostics = { first } } }, buf)
    local chosen
    for _, a in ipairs(record.actions.result or {}) do
      if a.isPreferred then chosen = a end
    end
    chosen = chosen or (record.actions.result or {})[1]
    if chosen then
      record.applied = chosen.title
      local count = published[uri].count
      vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding or 'utf-16')
      if not wait_published(uri, count) then fail('no diagnostics after the edit of ' .. path) return end
      record.after_edit = published[uri].diagnostics
      record.edited_lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
    end
  end
end

client.stop()
vim.wait(20000, function() return out.exit_code ~= nil end, 20)
vim.fn.writefile({ vim.fn.json_encode(out) }, env.FA_LSP_OUT)
vim.cmd('qall!')
