// The offline page: the service worker answers every page with it while there is no network.
// With messages saved on this device (IndexedDB `messenger-saved`, written by the app), it shows
// the chat list and each saved chat's last messages, and queues what is typed into the app's
// outbox (`messenger-outbox`), which sends it once when the app is back. Text is only ever set
// with textContent. Without saved messages it says the app is offline. Either way it goes back
// to the app as soon as the site answers again.
(function () {
  'use strict';
  var T = {
    en: {
      title: 'You are offline', text: 'Messenger will come back as soon as the connection does. Messages you had already written are kept and sent then.',
      retry: 'Try again', bar: 'Offline — showing saved messages', notSaved: 'The messages of this chat were not saved on this device.',
      placeholder: 'Message', send: 'Send', pending: 'Will be sent when you are back online', you: 'You', attachment: 'Photo, video or file',
      back: 'Back', chats: 'Chats', noMessages: 'No messages yet',
    },
    ru: {
      title: 'Нет соединения', text: 'Мессенджер вернётся, как только появится связь. Уже написанные сообщения сохранены и будут отправлены.',
      retry: 'Повторить', bar: 'Нет сети — показаны сохранённые сообщения', notSaved: 'Сообщения этого чата не сохранены на этом устройстве.',
      placeholder: 'Сообщение', send: 'Отправить', pending: 'Отправится, когда появится сеть', you: 'Вы', attachment: 'Фото, видео или файл',
      back: 'Назад', chats: 'Чаты', noMessages: 'Сообщений пока нет',
    },
  };
  var cookie = document.cookie.match(/(?:^|; )msg_locale=([^;]+)/);
  var lang = cookie ? cookie[1] : (navigator.language || 'en').slice(0, 2);
  var t = T[lang === 'ru' ? 'ru' : 'en'];
  var $ = function (id) { return document.getElementById(id); };

  function text() {
    document.documentElement.lang = t === T.ru ? 'ru' : 'en';
    $('title').textContent = t.title;
    $('text').textContent = t.text;
    $('retry').textContent = t.retry;
  }
  text();

  // Back to the app once the site answers again: on "online", on "Try again", and by polling with
  // backoff (the event can come before the network really works, or not at all).
  var timer = null;
  var delay = 1000;
  function check() {
    clearTimeout(timer);
    fetch(location.href, { method: 'HEAD', cache: 'no-store' }).then(function (r) {
      if (r.status < 500) location.reload();
      else later();
    }, later);
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(check, delay);
    delay = Math.min(delay * 2, 30000);
  }
  $('retry').addEventListener('click', function () { delay = 1000; check(); });
  window.addEventListener('online', function () { delay = 1000; check(); });
  later();

  // An existing database only: opening one that is not there would create it empty.
  function openDb(name, store, create) {
    return new Promise(function (resolve) {
      if (!window.indexedDB) return resolve(null);
      var req = indexedDB.open(name);
      req.onupgradeneeded = function () {
        if (create) req.result.createObjectStore(store);
        else req.transaction.abort();
      };
      req.onsuccess = function () { resolve(req.result.objectStoreNames.contains(store) ? req.result : null); };
      req.onerror = function () { resolve(null); };
    });
  }
  function getAll(db, keys) {
    return new Promise(function (resolve) {
      var out = {};
      var tx = db.transaction('kv', 'readonly');
      keys.forEach(function (k) { tx.objectStore('kv').get(k).onsuccess = function (e) { out[k] = e.target.result; }; });
      tx.oncomplete = function () { resolve(out); };
      tx.onerror = function () { resolve(out); };
    });
  }
  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (content !== undefined) e.textContent = content;
    return e;
  }
  var uid = function () { return crypto.randomUUID ? crypto.randomUUID() : 'o' + Date.now().toString(36) + Math.random().toString(36).slice(2, 10); };

  openDb('messenger-saved', 'kv', false).then(function (db) {
    if (!db) return;
    getAll(db, ['me', 'chats', 'opened']).then(function (saved) {
      if (!saved.me || !Array.isArray(saved.chats)) return;
      var keys = (saved.opened || []).map(function (id) { return 'msgs:' + id; }).concat((saved.opened || []).map(function (id) { return 'names:' + id; }));
      getAll(db, keys).then(function (more) { reader(saved.me, saved.chats, more); });
    });
  });

  function reader(me, chats, saved) {
    if (me.locale === 'ru' || me.locale === 'en') t = T[me.locale];
    text();
    document.body.classList.add('reading');
    $('shell').hidden = true;
    var app = $('reader');
    app.hidden = false;
    $('bar').textContent = t.bar;
    $('list-title').textContent = t.chats;
    $('back').textContent = '← ' + t.back;
    $('input').placeholder = t.placeholder;
    $('send').textContent = t.send;
    var list = $('list');
    var current = null;
    chats.forEach(function (c) {
      var item = el('button', 'chat');
      item.type = 'button';
      item.dataset.chatId = c.id;
      item.setAttribute('data-testid', 'offline-chat');
      item.appendChild(el('span', 'chat-title', c.customName || c.title));
      var last = c.lastMessage;
      item.appendChild(el('span', 'chat-last', last ? (last.text || (last.attachments && last.attachments.length ? t.attachment : '')) : t.noMessages));
      item.addEventListener('click', function () { open(c); });
      list.appendChild(item);
    });

    function nameOf(chat, userId) {
      if (userId === me.id) return t.you;
      if (chat.peer && chat.peer.id === userId) return chat.peer.displayName;
      var names = saved['names:' + chat.id] || {};
      return names[userId] || '';
    }

    function bubble(chat, m, pending) {
      var row = el('div', 'msg' + (m.senderId === me.id ? ' mine' : '') + (pending ? ' pending' : ''));
      row.setAttribute('data-testid', 'offline-message');
      if (chat.kind === 'group' && m.senderId !== me.id) row.appendChild(el('span', 'sender', nameOf(chat, m.senderId)));
      row.appendChild(el('span', 'body', m.text || (m.attachments && m.attachments.length ? t.attachment : '')));
      var when = new Date(m.createdAt);
      row.appendChild(el('span', 'when', pending ? t.pending : when.toLocaleString(lang, { hour: '2-digit', minute: '2-digit', day: 'numeric', month: 'short' })));
      return row;
    }

    function open(chat) {
      current = chat;
      document.body.classList.add('open');
      Array.prototype.forEach.call(list.children, function (b) { b.classList.toggle('active', b.dataset.chatId === chat.id); });
      $('conv-title').textContent = chat.customName || chat.title;
      var box = $('messages');
      box.textContent = '';
      var items = saved['msgs:' + chat.id];
      if (!items) box.appendChild(el('p', 'note', t.notSaved));
      (items || []).filter(function (m) { return !m.service && !m.deletedAt; }).forEach(function (m) { box.appendChild(bubble(chat, m, false)); });
      box.scrollTop = box.scrollHeight;
      $('composer').hidden = false;
    }

    $('back').addEventListener('click', function () { document.body.classList.remove('open'); });
    $('composer').addEventListener('submit', function (e) {
      e.preventDefault();
      var input = $('input');
      var body = input.value.trim();
      if (!body || !current) return;
      var chat = current;
      var item = {
        clientId: uid(), chatId: chat.id, senderId: me.id, text: body, replyTo: null, mediaIds: [], media: [],
        createdAt: new Date().toISOString(), state: 'queued', attempts: 0, notBefore: 0, error: null,
      };
      openDb('messenger-outbox', 'items', true).then(function (out) {
        if (!out) return;
        var tx = out.transaction('items', 'readwrite');
        tx.objectStore('items').put(item, item.clientId);
        tx.oncomplete = function () {
          input.value = '';
          var box = $('messages');
          box.appendChild(bubble(chat, item, true));
          box.scrollTop = box.scrollHeight;
        };
      });
    });
  }
})();
