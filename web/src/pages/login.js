// The login screen: a token from `warden token create`, checked against /warden/v1/me, then kept in
// sessionStorage (gone when the tab closes).
import { h } from '../dom.js';
import { t, lang, setLang, LANGS } from '../i18n.js';
import { api, setToken } from '../api.js';
import { errorBox } from '../ui.js';

export async function render(ctx) {
  const msgKey = sessionStorage.getItem('warden.loginMessage');
  sessionStorage.removeItem('warden.loginMessage');
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', required: true,
    placeholder: t('login.placeholder'), dataset: { test: 'token' } });
  const out = h('div.login-msg', null, msgKey ? h('div.error', { role: 'alert' }, h('strong', null, t(msgKey))) : null);
  const form = h('form.login', { dataset: { test: 'login' } },
    h('h1', null, 'warden'),
    h('p.sub', null, t('login.intro')),
    h('label', null, t('login.token'), input),
    h('button.btn.primary', { type: 'submit', dataset: { test: 'login-submit' } }, t('login.submit')),
    out,
    h('p.hint', null, t('login.hint'), ' ', h('code', null, 'warden token create --role platform')),
    h('button.btn.lang', { type: 'button', dataset: { test: 'lang' },
      onclick: () => { setLang(lang() === 'zh' ? 'en' : 'zh'); ctx.render(); } }, LANGS[lang() === 'zh' ? 'en' : 'zh']));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    out.replaceChildren(h('div.loading', null, t('loading')));
    try {
      const { data } = await api('/warden/v1/me', { token });
      setToken(token);
      ctx.onLogin(data);
      location.hash = '#/overview';
    } catch (e) {
      out.replaceChildren(e.status === 401 ? h('div.error', { role: 'alert', dataset: { test: 'error', status: '401' } },
        h('strong', null, t('login.refused'))) : errorBox(e));
    }
  });
  setTimeout(() => input.focus(), 0);
  return h('div.login-wrap', null, form);
}
