// Noom admin view: read-only. Asks for the admin token once per tab (sessionStorage), sends it as a Bearer header,
// and redraws nodes, rooms and members every few seconds. Every name is rendered with textContent, never as HTML.

const TOKEN_KEY = 'noom.admin.token';
const REFRESH_MS = 3000;
const API = 'api/overview'; // relative to /admin/

const $ = (id) => document.getElementById(id);
let timer = null;
let inFlight = false;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function setStatus(text, state = '') {
  $('status').textContent = text;
  $('status').dataset.state = state;
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

function showForm(message) {
  stop();
  $('overview').hidden = true;
  $('forget').hidden = true;
  $('token-form').hidden = false;
  $('token-error').hidden = !message;
  $('token-error').textContent = message || '';
  setStatus('Not signed in');
  $('token').focus();
}

function start() {
  $('token-form').hidden = true;
  $('forget').hidden = false;
  stop();
  refresh();
  timer = setInterval(refresh, REFRESH_MS);
}

function stop() {
  if (timer !== null) clearInterval(timer);
  timer = null;
}

async function refresh() {
  const current = token();
  if (!current || inFlight) return;
  inFlight = true;
  try {
    const response = await fetch(API, {
      headers: { Authorization: `Bearer ${current}`, Accept: 'application/json' },
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
    if (response.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      showForm('That token was not accepted.');
      return;
    }
    if (response.status === 404) {
      sessionStorage.removeItem(TOKEN_KEY);
      showForm('The admin view is off on this server (ADMIN_TOKEN is not set).');
      return;
    }
    if (!response.ok) {
      setStatus(`Overview unavailable (HTTP ${response.status}); retrying…`, 'error');
      return;
    }
    render(await response.json());
  } catch (e) {
    setStatus('Server unreachable; retrying…', 'error');
  } finally {
    inFlight = false;
  }
}

function rate(value) {
  return value === null || value === undefined ? '–' : Number(value).toFixed(1);
}

function count(value) {
  return value === null || value === undefined ? '–' : String(value);
}

function render(data) {
  $('overview').hidden = false;
  const when = new Date(data.generatedAt).toLocaleTimeString();
  setStatus(`${data.clustered ? 'Cluster' : 'Single node'} · answered by ${data.node} · ${when}`
    + (data.truncated ? ' · room list truncated' : ''));
  renderTotals(data.totals);
  renderNodes(data.nodes);
  renderRooms(data.rooms);
}

function renderTotals(totals) {
  const items = [
    ['nodes alive', `${totals.aliveNodes} / ${totals.nodes}`],
    ['sessions', totals.sessions],
    ['rooms', totals.rooms],
    ['private rooms', totals.privateRooms],
    ['members', totals.members],
    ['messages in/s', rate(totals.messagesInPerSecond)],
    ['messages out/s', rate(totals.messagesOutPerSecond)],
  ];
  $('totals').replaceChildren(...items.map(([label, value]) => {
    const item = el('div');
    item.append(el('dt', '', label), el('dd', '', value));
    return item;
  }));
}

function renderNodes(nodes) {
  $('nodes').replaceChildren(...nodes.map((node) => {
    const row = el('tr');
    row.append(
      el('td', '', node.id),
      el('td', node.alive ? 'alive' : 'dead', node.alive ? 'alive' : 'not heartbeating'),
      el('td', 'num', count(node.sessions)),
      el('td', 'num', count(node.rooms)),
      el('td', 'num', count(node.members)),
      el('td', 'num', rate(node.messagesInPerSecond)),
      el('td', 'num', rate(node.messagesOutPerSecond)),
    );
    return row;
  }));
}

function renderRooms(rooms) {
  $('no-rooms').hidden = rooms.length > 0;
  $('rooms').replaceChildren(...rooms.map((room) => {
    const card = el('article', 'room');
    card.append(el('h3', '', room.name));
    const tags = el('div', 'tags');
    tags.append(el('span', 'tag', `${room.count} member${room.count === 1 ? '' : 's'}`));
    if (room.private) tags.append(el('span', 'tag private', 'private'));
    if (room.locked) tags.append(el('span', 'tag locked', 'locked'));
    if (room.passwordProtected) tags.append(el('span', 'tag password', 'password'));
    card.append(tags);
    const list = el('ul', 'members');
    for (const member of room.members) {
      const item = el('li');
      item.append(el('span', 'nick', member.nickname ?? '(unknown)'));
      if (member.id === room.host) item.append(el('span', 'host', 'host'));
      const media = member.media || {};
      const flags = [media.audioMuted ? 'muted' : null, media.videoOff ? 'camera off' : null,
        media.screen ? 'screen' : null].filter(Boolean).join(', ');
      item.append(el('span', 'meta', [member.id, member.node, flags].filter(Boolean).join(' · ')));
      list.append(item);
    }
    card.append(list);
    return card;
  }));
}

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = $('token').value.trim();
  $('token').value = ''; // never left on screen or in the DOM
  if (!value) return;
  sessionStorage.setItem(TOKEN_KEY, value);
  start();
});

$('forget').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  showForm('');
});

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && token()) refresh();
});

if (token()) start();
else showForm('');
