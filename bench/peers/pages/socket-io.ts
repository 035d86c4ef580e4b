/** socket.io-client in a page: one socket, one event shown as it comes. */
import { io } from 'socket.io-client';

const status = document.createElement('p');
document.body.append(status);
const socket = io('https://example.invalid', { transports: ['websocket'] });
socket.on('GLOBAL_GUILD_COUNT', (data: { guilds: number; guildMembers: number }) => {
  status.textContent = `${data.guilds} guilds, ${data.guildMembers} members`;
});
