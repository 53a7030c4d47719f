import { isPublicEndpoint } from './push-endpoint.js';

describe('push endpoints', () => {
  it('accepts push services on public hosts', () => {
    for (const url of ['https://fcm.googleapis.com/fcm/send/abc', 'https://updates.push.services.mozilla.com/wpush/v2/x', 'https://8.8.8.8/p', 'https://[2001:4860::8888]/p']) {
      expect([url, isPublicEndpoint(url)]).toEqual([url, true]);
    }
  });

  it('refuses this machine and private networks', () => {
    for (const url of ['https://localhost/p', 'https://127.0.0.1:9000/p', 'https://10.1.2.3/p', 'https://192.168.0.10/p', 'https://172.20.0.1/p',
      'https://169.254.169.254/latest', 'https://[::1]/p', 'https://[fd00::1]/p', 'https://[::ffff:127.0.0.1]/p', 'https://db.internal/p', 'not a url']) {
      expect([url, isPublicEndpoint(url)]).toEqual([url, false]);
    }
  });
});
